import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { getProjectByName, type DbSampleRow } from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { createLocalFolderDatasource } from '@al/media';
import { createS3Datasource } from '@al/media';
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from '@al/media/testing';
import { importFromDatasource } from '@al/server';
import {
  writeCorruptImages,
  writePng,
  writeValidImages,
  type WrittenImage,
} from '@al/media/testing';
import { createLogger } from '@al/media';
import { startApp } from '../server/helpers';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const logger = createLogger('silent');
const BUCKET = 'labeller-images';
/** A prefix with a space and non-ASCII letters, so keys are never re-encoded along the way. */
const PREFIX = 'team photos/été';

let db: TestDatabase;
let s3: TestS3;
let staging: string;
let valid: WrittenImage[];
let corrupt: string[];

/** Uploads every file under a local folder to BUCKET below `prefix`, in parallel. */
async function uploadFolder(folder: string, prefix: string): Promise<void> {
  const local = createLocalFolderDatasource(folder);
  const uploads: Promise<void>[] = [];
  for await (const page of local.list()) {
    for (const entry of page) {
      uploads.push(
        readFile(entry.uri).then((bytes) =>
          s3.put(BUCKET, `${prefix}/${entry.relativePath}`, bytes),
        ),
      );
    }
  }
  await Promise.all(uploads);
}

before(async () => {
  [db, s3] = await Promise.all([createTestDatabase({ poolMax: 4 }), startS3rver()]);
  staging = await mkdtemp(path.join(tmpdir(), 's3-import-'));
  valid = await writeValidImages(staging);
  corrupt = await writeCorruptImages(staging);
  await writePng(staging, 'deep/er/ünïcødé name 1.png', 101);
  await s3.createBucket(BUCKET);
  await uploadFolder(staging, PREFIX);
  await s3.put(BUCKET, `${PREFIX}/readme.txt`, Buffer.from('not an image'));
  await s3.put(
    BUCKET,
    'elsewhere/outside.png',
    await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
      .png()
      .toBuffer(),
  );
});

after(async () => {
  await Promise.all([db.destroy(), s3.close(), rm(staging, { recursive: true, force: true })]);
});

async function samplesOf(name: string): Promise<DbSampleRow[]> {
  const p = await getProjectByName({ tx: db.knex, name });
  assert.ok(p, `project ${name} exists`);
  return db.knex<DbSampleRow>('samples').where({ project_id: p.id }).orderBy('source_uri');
}

const project = { name: 's3-formats', options: ['cat', 'dog'] };

function importPrefix(uri = `s3://${BUCKET}/${PREFIX}`) {
  return importFromDatasource({
    knex: db.knex,
    project,
    datasource: createS3Datasource(uri, s3.options),
    logger,
  });
}

test('imports all six formats from a bucket prefix; corrupt objects reported, others ignored', async () => {
  const summary = await importPrefix();
  assert.equal(summary.root, `s3://${BUCKET}/${PREFIX}`);
  assert.equal(summary.found, valid.length + corrupt.length + 1);
  assert.equal(summary.ignored, 1);
  assert.equal(summary.imported, valid.length + 1);
  assert.deepEqual(
    summary.failed.map((f) => f.relativePath),
    [...corrupt].sort((a, b) => a.localeCompare(b)),
  );

  const rows = await samplesOf(project.name);
  const byUri = new Map(rows.map((r) => [r.source_uri, r]));
  for (const image of valid) {
    const row = byUri.get(`s3://${BUCKET}/${PREFIX}/${image.relativePath}`);
    assert.ok(row, `${image.relativePath} imported`);
    assert.equal(row.width, image.width);
    assert.equal(row.height, image.height);
  }
  assert.ok(byUri.has(`s3://${BUCKET}/${PREFIX}/deep/er/ünïcødé name 1.png`));
  assert.ok(![...byUri.keys()].some((uri) => uri.includes('elsewhere')));
  const p = await getProjectByName({ tx: db.knex, name: project.name });
  assert.deepEqual(p?.source_roots, [`s3://${BUCKET}/${PREFIX}`]);
});

test('re-importing after adding objects imports only the new ones', async () => {
  const before = (await samplesOf(project.name)).length;
  const added = await mkdtemp(path.join(tmpdir(), 's3-added-'));
  try {
    await writePng(added, 'new/one.png', 201);
    await writePng(added, 'new/two with space.png', 202);
    await uploadFolder(added, PREFIX);
  } finally {
    await rm(added, { recursive: true, force: true });
  }
  const summary = await importPrefix();
  assert.equal(summary.imported, 2);
  assert.equal(summary.alreadyImported, before);
  assert.equal((await samplesOf(project.name)).length, before + 2);
});

test('the image route serves an imported S3 sample, and only below the project roots', async () => {
  const [row] = (await samplesOf(project.name)).filter((r) => r.source_uri.endsWith('/a.png'));
  assert.ok(row);
  // The server builds its S3 clients from the environment, as in production.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
  });
  const server = await startApp(db);
  try {
    const answer = await fetch(`${server.url}/api/samples/${String(row.id)}/image?size=32`);
    assert.equal(answer.status, 200);
    const meta = await sharp(Buffer.from(await answer.arrayBuffer())).metadata();
    assert.equal(Math.max(meta.width, meta.height), 32);

    // A sample whose URI points outside the project's s3 root is not served.
    await db
      .knex('samples')
      .where({ id: row.id })
      .update({ source_uri: `s3://${BUCKET}/elsewhere/outside.png` });
    const outside = await fetch(`${server.url}/api/samples/${String(row.id)}/image?size=31`);
    assert.equal(outside.status, 404);
  } finally {
    await db.knex('samples').where({ id: row.id }).update({ source_uri: row.source_uri });
    await server.close();
  }
});

test('imports more than 1,000 objects across listing pages', async (t) => {
  const count = 1_050;
  const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: 'blue' } })
    .png()
    .toBuffer();
  // Identical bytes are fine: samples are told apart by source URI.
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      s3.put(BUCKET, `bulk/${String(i).padStart(4, '0')}.png`, png),
    ),
  );
  const started = performance.now();
  const summary = await importFromDatasource({
    knex: db.knex,
    project: { name: 's3-bulk', options: ['a', 'b'] },
    datasource: createS3Datasource(`s3://${BUCKET}/bulk`, s3.options),
    logger,
  });
  const seconds = (performance.now() - started) / 1000;
  assert.equal(summary.found, count);
  assert.equal(summary.imported, count);
  assert.equal((await samplesOf('s3-bulk')).length, count);
  // Not a benchmark (the machine is shared), a figure for the record.
  t.diagnostic(`imported ${String(count)} objects in ${seconds.toFixed(2)} s`);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runImportCli(args: string[], env: Record<string, string>): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, ...env };
  delete childEnv.LOG_LEVEL;
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'server/src/cli/import.ts', ...args],
      { cwd: REPO_ROOT, env: childEnv, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

test('the import CLI reads S3 settings from the environment and prints clear errors', async () => {
  const env = {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
  };
  const args = ['--project', 's3-formats', '--labels', 'cat,dog'];
  const again = await runImportCli([...args, `s3://${BUCKET}/${PREFIX}`], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /nothing new to import/);

  const missing = await runImportCli([...args, 's3://no-such-bucket/x'], env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: bucket no-such-bucket does not exist$/m);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');

  const wrong = await runImportCli([...args, `s3://${BUCKET}/${PREFIX}`], {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1',
  });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^error: wrong AWS credentials \(InvalidAccessKeyId\)/m);
  assert.doesNotMatch(wrong.stderr, /\n\s+at /, 'no stack trace');
});
