import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { writeCorruptImages, writeValidImages } from '@al/media/testing';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

let db: TestDatabase;
let folder: string;

before(async () => {
  db = await createTestDatabase({ poolMax: 2 });
  folder = await mkdtemp(path.join(tmpdir(), 'import-cli-'));
  await writeValidImages(folder);
  await writeCorruptImages(folder);
});

after(async () => {
  await db.destroy();
  await rm(folder, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI exactly as `npm run import --` does, against the test database. */
function runImport(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url };
  delete env.LOG_LEVEL;
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'server/src/cli/import.ts', ...args],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function sampleCount(): Promise<number> {
  const [row] = await db.knex('samples').count<{ count: number }[]>({ count: '*' });
  return Number(row?.count);
}

test('imports the readable images, names the unreadable ones and exits 0', async () => {
  const run = await runImport(['--project', 'cli', '--labels', 'cat, dog', folder]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /project "cli" \(created\)/);
  assert.match(run.stdout, /found: 8 image files/);
  assert.match(run.stdout, /new: 6 /);
  assert.match(run.stdout, /failed: 2/);
  assert.match(run.stderr, /unreadable: broken\/truncated\.png: /);
  assert.match(run.stderr, /unreadable: x\.png: /);
  assert.equal(await sampleCount(), 6);
});

test('a second run imports nothing and says so', async () => {
  const run = await runImport(['--project', 'cli', '--labels', 'cat,dog', folder]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /new: 0 /);
  assert.match(run.stdout, /already imported: 6/);
  assert.match(run.stdout, /nothing new to import/);
  assert.equal(await sampleCount(), 6);
});

test('refuses other labels for an existing project, and bad arguments, with non-zero exits', async () => {
  const mismatch = await runImport(['--project', 'cli', '--labels', 'cat,dog,bird', folder]);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.stderr, /project "cli" already exists and labels are cat,dog/);

  const noLabels = await runImport(['--project', 'cli', folder]);
  assert.equal(noLabels.code, 2);
  assert.match(noLabels.stderr, /--labels is required/);

  const missing = await runImport(['--project', 'x', '--labels', 'a,b', path.join(folder, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /folder not found/);
  assert.equal(await sampleCount(), 6);
});
