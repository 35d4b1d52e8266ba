/**
 * npm run export end to end: a project labelled by real socket.io clients, exported by the CLI
 * (as `npm run export --` runs it) against the same Postgres, checked on the file system.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createProject, insertSamples } from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { connectClient, labelAs, pngBytes, startApp, takeNext } from './helpers';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

let db: TestDatabase;
let work: string;
/** Source file → the label given to it (undefined: left unlabelled). */
const given = new Map<string, string | undefined>();

before(async () => {
  db = await createTestDatabase({ poolMax: 4 });
  work = await mkdtemp(path.join(tmpdir(), 'folder-export-'));
  const images = path.join(work, 'images');
  // Two files share a name in different folders; labels that are not plain folder names.
  const files: [string, string | undefined][] = [
    ['a/img.png', 'cat'],
    ['b/img.png', 'cat'],
    ['c.png', '../dog'],
    ['d.png', '-1'],
    ['e.png', undefined],
  ];
  const samples = [];
  for (const [i, [relative, label]] of files.entries()) {
    const file = path.join(images, relative);
    await mkdir(path.dirname(file), { recursive: true });
    const bytes = await pngBytes(i + 1);
    await writeFile(file, bytes);
    given.set(file, label);
    samples.push({
      sourceUri: file,
      contentHash: createHash('sha256').update(bytes).digest('hex'),
      width: 32,
      height: 24,
      byteSize: bytes.length,
      priority: files.length - i,
    });
  }
  const project = await createProject({
    tx: db.knex,
    project: {
      name: 'shelf',
      options: ['cat', '../dog', '-1'],
      multiLabel: false,
      sourceRoots: [images],
    },
  });
  await insertSamples({ tx: db.knex, projectId: project.id, samples });
  const server = await startApp(db);
  const client = await connectClient(server.url, { name: 'ann', project: 'shelf' });
  try {
    for (;;) {
      const sample = await takeNext(client);
      if (!sample) break;
      const row = await db
        .knex<{ id: number; source_uri: string }>('samples')
        .where({ id: sample.id })
        .first('source_uri');
      const label = given.get(row?.source_uri ?? '');
      if (label === undefined) break;
      await labelAs(client, sample.id, label);
    }
  } finally {
    client.close();
    await server.close();
  }
});

after(async () => {
  await db.destroy();
  await rm(work, { recursive: true, force: true });
});

function runExport(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url };
  delete env.LOG_LEVEL;
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'server/src/cli/export.ts', ...args],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** manifest.csv as rows of fields (no field here needs quoting). */
async function manifest(out: string): Promise<string[][]> {
  const text = await readFile(path.join(out, 'manifest.csv'), 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}

test('symlinks per final label, a manifest a script reads, and a refusal to mix exports', async () => {
  const out = path.join(work, 'out');
  const run = await runExport(['--project', 'shelf', '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /exported: 4 images \(cat 2, \.\.\/dog 1, -1 1\)/);
  assert.match(run.stdout, /not labelled yet: 1/);

  const rows = await manifest(out);
  assert.deepEqual(rows[0], ['path', 'uri', 'label', 'confidence', 'answers']);
  assert.equal(rows.length, 5, 'one row per labelled image');
  const folders = new Map([
    ['cat', 'cat'],
    ['../dog', '_.._dog'],
    ['-1', '-1'],
  ]);
  for (const [relative, uri, label] of rows.slice(1)) {
    assert.equal(given.get(uri ?? ''), label, `${uri} exported with the label it was given`);
    assert.equal(
      relative?.split('/')[0],
      folders.get(label ?? ''),
      'the label’s folder, never outside out',
    );
    const link = path.join(out, relative ?? '');
    assert.ok((await lstat(link)).isSymbolicLink());
    assert.equal(await readlink(link), uri);
  }
  const catFiles = rows.filter((r) => r[2] === 'cat').map((r) => r[0]);
  assert.equal(new Set(catFiles).size, 2, 'two img.png from different folders stay apart');

  const again = await runExport(['--project', 'shelf', '--out', out]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /is not empty/);
});

test('--copy writes the bytes; --min-confidence leaves out the less certain', async () => {
  const out = path.join(work, 'copies');
  const run = await runExport(['--project', 'shelf', '--out', out, '--copy']);
  assert.equal(run.code, 0, run.stderr);
  const rows = (await manifest(out)).slice(1);
  for (const [relative, uri] of rows) {
    const copy = path.join(out, relative ?? '');
    assert.ok((await lstat(copy)).isFile());
    assert.deepEqual(await readFile(copy), await readFile(uri ?? ''));
  }
  // Every image at or above the highest confidence stays; the others are counted, not written.
  const confidences = rows.map((r) => Number(r[3]));
  const top = Math.max(...confidences);
  const below = confidences.filter((c) => c < top).length;
  const strict = path.join(work, 'strict');
  const picky = await runExport([
    '--project',
    'shelf',
    '--out',
    strict,
    '--min-confidence',
    String(top),
  ]);
  assert.equal(picky.code, 0, picky.stderr);
  assert.equal((await manifest(strict)).length - 1, rows.length - below);
  assert.match(picky.stdout, new RegExp(`below confidence [0-9.e-]+: ${String(below)}`));
});

test('bad arguments and an unknown project are named', async () => {
  const bad = await runExport([
    '--project',
    'shelf',
    '--out',
    path.join(work, 'x'),
    '--min-confidence',
    '1.5',
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--min-confidence must be a number from 0 to 1/);
  const missing = await runExport(['--project', 'nope', '--out', path.join(work, 'y')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no project named "nope"/);
});
