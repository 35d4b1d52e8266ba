import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  createProject,
  getProjectById,
  insertSamples,
  type DbProjectRow,
  type NewSample,
} from '@al/db';
import sharp from 'sharp';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { startS3rver, type TestS3 } from '@al/media/testing';
import { createLogger } from '@al/media';
import { cacheProjectFeatures } from './cacheFeatures';
import { featureLength, inputSpecKey } from './inputSpec';
import { resolveProjectInputSpec } from './projectInputSpec';
import { SampleReader } from './sampleReader';

const logger = createLogger('silent');
let db: TestDatabase;
let dir: string;
let s3: TestS3;

before(async () => {
  [db, dir, s3] = await Promise.all([
    createTestDatabase({ poolMax: 3 }),
    mkdtemp(path.join(tmpdir(), 'features-')),
    startS3rver(),
  ]);
});

after(async () => {
  await Promise.all([db.destroy(), rm(dir, { recursive: true, force: true }), s3.close()]);
});

/** A 100×80 PNG: a colour gradient, or grey noise-free stripes. */
function png(colour: boolean, seed: number): Promise<Buffer> {
  const w = 100;
  const h = 80;
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const v = (i * (seed + 3)) % 256;
    raw[i * 3] = v;
    raw[i * 3 + 1] = colour ? 255 - v : v;
    raw[i * 3 + 2] = colour ? (v * 7) % 256 : v;
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
}

function sample(uri: string, bytes: Buffer): NewSample {
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  return { sourceUri: uri, contentHash, width: 100, height: 80, byteSize: bytes.length };
}

async function projectWith(name: string, roots: string[], samples: NewSample[]) {
  const project = await createProject({
    tx: db.knex,
    project: { name, options: ['a', 'b'], sourceRoots: roots },
  });
  await insertSamples({ tx: db.knex, projectId: project.id, samples });
  return project;
}

const reload = async (p: DbProjectRow) => {
  const row = await getProjectById({ tx: db.knex, id: p.id });
  assert.ok(row);
  return row;
};

test('local folder: colour photos get a derived 32-pixel colour spec, cached once per spec', async () => {
  const samples: NewSample[] = [];
  for (let i = 0; i < 3; i++) {
    const bytes = await png(i === 1, i);
    const file = path.join(dir, `img${String(i)}.png`);
    await writeFile(file, bytes);
    samples.push(sample(file, bytes));
  }
  const project = await projectWith('local', [dir], samples);
  const reader = new SampleReader(project.source_roots);
  const spec = await resolveProjectInputSpec({ knex: db.knex, project, reader, logger });
  assert.deepEqual(spec, { width: 32, height: 26, channels: 3 }, 'one colour image: colour');
  assert.deepEqual((await reload(project)).input_spec, spec, 'stored on the project');

  const first = await cacheProjectFeatures({
    knex: db.knex,
    projectId: project.id,
    spec,
    reader,
    logger,
  });
  assert.deepEqual(first, { decoded: 3, failed: 0 });
  const rows = await db.knex('feature_cache').where({ spec: inputSpecKey(spec) });
  assert.equal(rows.length, 3);
  for (const r of rows as { data: Buffer }[]) assert.equal(r.data.length, featureLength(spec));
  const again = await cacheProjectFeatures({
    knex: db.knex,
    projectId: project.id,
    spec,
    reader,
    logger,
  });
  assert.deepEqual(again, { decoded: 0, failed: 0 });

  // An admin changes the size: features of the old size are never reused.
  const grey = { width: 16, height: 16, channels: 1 as const };
  await db
    .knex('projects')
    .where({ id: project.id })
    .update({ input_spec: JSON.stringify(grey) });
  const resolved = await resolveProjectInputSpec({
    knex: db.knex,
    project: await reload(project),
    reader,
    logger,
  });
  assert.deepEqual(resolved, grey);
  const regrey = await cacheProjectFeatures({
    knex: db.knex,
    projectId: project.id,
    spec: grey,
    reader,
    logger,
  });
  assert.deepEqual(regrey, { decoded: 3, failed: 0 });

  // Then the page of multi-page images: a new key, decoded again, the size kept.
  await db.knex('projects').where({ id: project.id }).update({ image_page: 'max' });
  const projected = await resolveProjectInputSpec({
    knex: db.knex,
    project: await reload(project),
    reader,
    logger,
  });
  assert.deepEqual(projected, { ...grey, page: 'max' });
  assert.notEqual(inputSpecKey(projected), inputSpecKey(grey));
  const reprojected = await cacheProjectFeatures({
    knex: db.knex,
    projectId: project.id,
    spec: projected,
    reader,
    logger,
  });
  assert.deepEqual(reprojected, { decoded: 3, failed: 0 });
});

test('S3 prefix: features are read through the S3 datasource', async () => {
  await s3.createBucket('photos');
  const samples: NewSample[] = [];
  for (let i = 0; i < 2; i++) {
    const bytes = await png(false, 10 + i);
    const key = `shots/grey ${String(i)}.png`;
    await s3.put('photos', key, bytes);
    samples.push(sample(`s3://photos/${key}`, bytes));
  }
  const project = await projectWith('s3', ['s3://photos/shots'], samples);
  const reader = new SampleReader(project.source_roots, s3.options);
  const spec = await resolveProjectInputSpec({ knex: db.knex, project, reader, logger });
  assert.deepEqual(spec, { width: 48, height: 38, channels: 1 }, 'grey photos: 48-pixel grey');
  const cached = await cacheProjectFeatures({
    knex: db.knex,
    projectId: project.id,
    spec,
    reader,
    logger,
  });
  assert.deepEqual(cached, { decoded: 2, failed: 0 });
});
