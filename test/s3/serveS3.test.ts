import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import pino from 'pino';
import sharp from 'sharp';
import { getProjectByName, type DbLabelRow, type DbSampleRow } from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { createS3Datasource } from '@al/media';
import { describeS3Error } from '@al/media';
import type { Datasource } from '@al/media';
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from '@al/media/testing';
import { importFromDatasource } from '@al/server';
import { createLogger, REDACT_PATHS } from '@al/media';
import { ImageService } from '@al/server';
import { connectClient, emitWithAck, startApp, type RunningApp } from '../server/helpers';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const BUCKET = 'serve-bucket';
const PREFIX = 'shots/ünï côde';
const ROOT = `s3://${BUCKET}/${PREFIX}`;
const ADMIN = 'test-admin-token-0123456789';
const PROJECT = 's3-serving';

let db: TestDatabase;
let s3: TestS3;
let server: RunningApp;

/** A 600×400 photo-like image: big enough that a 512 px thumbnail is smaller than it. */
function photo(seed: number, width = 600, height = 400): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + seed * 13) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

const s3Env = () => ({
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  S3_FORCE_PATH_STYLE: 'true',
});

const requestLog: string[] = [];

before(async () => {
  [db, s3] = await Promise.all([createTestDatabase({ poolMax: 6 }), startS3rver()]);
  await s3.createBucket(BUCKET);
  for (let i = 0; i < 4; i++) await s3.put(BUCKET, `${PREFIX}/p${String(i)}.jpg`, await photo(i));
  await importFromDatasource({
    knex: db.knex,
    project: { name: PROJECT, options: ['cat', 'dog'] },
    datasource: createS3Datasource(ROOT, s3.options),
    logger: createLogger('silent'),
  });
  // The AWS SDK takes credentials and the endpoint from the environment, as in production; the
  // server takes path style and the endpoint for its CSP from its config (parsed from the same).
  Object.assign(process.env, s3Env());
  // Request logs as in production (redaction on), kept to check what a presign redirect logs.
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      requestLog.push(chunk.toString());
      done();
    },
  });
  server = await startApp(db, {
    logger: pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink),
    config: { S3_FORCE_PATH_STYLE: true, AWS_ENDPOINT_URL_S3: s3.endpoint },
  });
});

after(async () => {
  await server.close();
  await Promise.all([db.destroy(), s3.close()]);
});

async function sampleFor(name: string): Promise<DbSampleRow> {
  const row = await db
    .knex<DbSampleRow>('samples')
    .where({ source_uri: `${ROOT}/${name}` })
    .first();
  assert.ok(row, `${name} imported`);
  return row;
}

async function putImageSettings(body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/projects/${PROJECT}/settings/images`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function imageSide(answer: Response): Promise<number> {
  assert.equal(answer.status, 200);
  const meta = await sharp(Buffer.from(await answer.arrayBuffer())).metadata();
  return Math.max(meta.width, meta.height);
}

async function objectExists(key: string): Promise<boolean> {
  try {
    await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

async function waitForObject(key: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await objectExists(key)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${key} was never written`);
}

test('labels an imported S3 project through the socket server', async () => {
  const socket = await connectClient(server.url, { name: 'ann', project: PROJECT });
  try {
    const next = await emitWithAck(socket, 'sample:next', {});
    assert.ok('data' in next && next.data.sample);
    const { sample } = next.data;
    assert.equal(sample.imageUrl, `/api/samples/${String(sample.id)}/image`);
    assert.equal(await imageSide(await fetch(`${server.url}${sample.imageUrl}?size=64`)), 64);
    const labelled = await emitWithAck(socket, 'sample:label', {
      sampleId: sample.id,
      value: 'dog',
    });
    assert.ok('data' in labelled, JSON.stringify(labelled));
    const rows = await db.knex<DbLabelRow>('labels').where({ sample_id: sample.id, kind: 'label' });
    assert.deepEqual(
      rows.map((r) => r.value),
      ['dog'],
    );
  } finally {
    socket.close();
  }
});

test('thumbnails are written under the suffix, then served from it even without the original', async () => {
  const bad = await putImageSettings({ thumbnailSuffix: '../x' });
  assert.equal(bad.status, 400);
  const set = await putImageSettings({ thumbnailSuffix: '_thumb' });
  assert.equal(set.status, 200);
  assert.deepEqual(await set.json(), {
    images: { delivery: 'proxy', thumbnailSuffix: '_thumb', page: 0 },
  });

  const row = await sampleFor('p1.jpg');
  const url = `${server.url}/api/samples/${String(row.id)}/image`;
  assert.equal(await imageSide(await fetch(`${url}?size=80`)), 80);
  const thumbKey = `${PREFIX}/p1_thumb.jpg`;
  await waitForObject(thumbKey);
  const thumb = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: thumbKey }));
  assert.ok(thumb.Body);
  const thumbMeta = await sharp(Buffer.from(await thumb.Body.transformToByteArray())).metadata();
  assert.deepEqual([thumbMeta.width, thumbMeta.height, thumbMeta.format], [512, 341, 'jpeg']);

  // Without the original, a size not cached yet still comes from the thumbnail...
  await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/p1.jpg` }));
  assert.equal(await imageSide(await fetch(`${url}?size=100`)), 100);
  assert.equal(await imageSide(await fetch(`${url}?size=512`)), 512);
  // ...while a size above the thumbnail's needs the original, which is gone.
  assert.equal((await fetch(`${url}?size=600`)).status, 404);

  // Re-importing the prefix does not take the thumbnail for a new image.
  const again = await importFromDatasource({
    knex: db.knex,
    project: { name: PROJECT, options: ['cat', 'dog'] },
    datasource: createS3Datasource(ROOT, s3.options),
    logger: createLogger('silent'),
  });
  assert.equal(again.imported, 0);
  assert.equal(again.ignored, 1);
});

/** The bucket as a datasource whose writes are refused with AccessDenied. */
function refusingWrites(root: string): Datasource {
  const real = createS3Datasource(root, s3.options);
  return {
    ...real,
    write: (relativePath) =>
      Promise.reject(
        describeS3Error(
          Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
          'put',
          BUCKET,
          real.uriOf(relativePath),
        ),
      ),
  };
}

test('a refused thumbnail write is logged once and images are still served', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const images = new ImageService(db.knex, {
    cacheBytes: 1 << 20,
    logger: pino({ level: 'warn' }, sink),
    // s3rver has no bucket policies: the refusal is the SDK's AccessDenied through our mapping.
    s3DatasourceFor: refusingWrites,
  });
  for (const name of ['p2.jpg', 'p3.jpg']) {
    const answer = await images.resized((await sampleFor(name)).id, 64, undefined);
    assert.equal(answer.kind, 'image');
  }
  await images.thumbnails.idle();
  assert.equal(lines.length, 1, lines.join(''));
  assert.match(lines[0] ?? '', /missing permission s3:PutObject on s3:\/\/serve-bucket\//);
  assert.equal(await objectExists(`${PREFIX}/p2_thumb.jpg`), false);
});

test('presign mode redirects to the thumbnail up to its size, to the original above it', async () => {
  const presign = await putImageSettings({ delivery: 'presign', thumbnailSuffix: '_thumb' });
  assert.equal(presign.status, 200);
  const row = await sampleFor('p0.jpg');
  const base = `${server.url}/api/samples/${String(row.id)}/image`;
  // Above the thumbnail's size: the original, byte for byte.
  const answer = await fetch(`${base}?size=1024`, { redirect: 'manual' });
  assert.equal(answer.status, 302);
  const location = answer.headers.get('location') ?? '';
  assert.ok(location.startsWith(`${s3.endpoint}/${BUCKET}/`), location);
  assert.match(location, /X-Amz-Signature=/);
  const loaded = await fetch(location);
  assert.equal(loaded.status, 200);
  assert.deepEqual(Buffer.from(await loaded.arrayBuffer()), await photo(0));
  // The same URL is handed out again, so the browser's cache of the image keeps working.
  const second = await fetch(`${base}?size=1024`, { redirect: 'manual' });
  assert.equal(second.headers.get('location'), location);
  // The page's CSP lets the browser follow the redirect to the bucket.
  const csp = answer.headers.get('content-security-policy') ?? '';
  assert.match(csp, new RegExp(`img-src [^;]*${s3.endpoint.replaceAll('.', '\\.')}`));
  // The redirect is logged, its URL (a bearer credential for the object) is not.
  const logged = requestLog.join('');
  assert.match(logged, /"statusCode":302/);
  assert.doesNotMatch(logged, /X-Amz-Signature/);

  // Up to the thumbnail's size: the thumbnail, stored first since there was none yet, so the
  // browser downloads 512 px rather than the original.
  const thumbKey = `${PREFIX}/p0_thumb.jpg`;
  assert.equal(await objectExists(thumbKey), false);
  const small = await fetch(`${base}?size=64`, { redirect: 'manual' });
  assert.equal(small.status, 302);
  const thumbLocation = small.headers.get('location') ?? '';
  assert.match(thumbLocation, /\/p0_thumb\.jpg\?/);
  assert.equal(await objectExists(thumbKey), true);
  assert.equal(await imageSide(await fetch(thumbLocation)), 512);

  // Where the thumbnail cannot be stored, the original is presigned instead.
  const refused = new ImageService(db.knex, {
    cacheBytes: 1 << 20,
    logger: createLogger('silent'),
    s3DatasourceFor: refusingWrites,
  });
  const fallback = await refused.resized((await sampleFor('p2.jpg')).id, 64, undefined);
  assert.ok(fallback.kind === 'redirect', fallback.kind);
  assert.match(fallback.url, /\/p2\.jpg\?/);

  // Without a suffix, every size goes to the original.
  assert.equal((await putImageSettings({ thumbnailSuffix: null })).status, 200);
  const plain = await fetch(`${base}?size=64`, { redirect: 'manual' });
  assert.equal(plain.headers.get('location'), location);
  const back = await putImageSettings({ delivery: 'proxy', thumbnailSuffix: '_thumb' });
  assert.equal(back.status, 200);
});

function runImportCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, ...s3Env() };
  delete env.LOG_LEVEL;
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'server/src/cli/import.ts', ...args],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

test('--process-all re-reads known objects and records the ones that changed', async () => {
  const before = await sampleFor('p3.jpg');
  await s3.put(BUCKET, `${PREFIX}/p3.jpg`, await photo(33, 300, 200));
  const args = ['--project', PROJECT, '--labels', 'cat,dog', ROOT];

  const plain = await runImportCli(args);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /nothing new to import/);
  assert.equal((await sampleFor('p3.jpg')).content_hash, before.content_hash);

  const all = await runImportCli(['--process-all', '--delivery', 'presign', ...args]);
  assert.equal(all.code, 0, all.stderr);
  // p1 was deleted above; p0, p2 and p3 are re-read and only p3 changed.
  assert.match(all.stdout, /re-read: 3, changed since import: 1/);
  const after = await sampleFor('p3.jpg');
  assert.notEqual(after.content_hash, before.content_hash);
  assert.deepEqual([after.width, after.height], [300, 200]);
  assert.equal(after.id, before.id);
  const project = await getProjectByName({ tx: db.knex, name: PROJECT });
  assert.equal(project?.image_delivery, 'presign');
  assert.equal(project.thumbnail_suffix, '_thumb');
});
