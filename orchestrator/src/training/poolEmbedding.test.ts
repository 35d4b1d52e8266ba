import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { getLatestModel } from '@al/db';
import { saveLayersModel, tinyLayersModel } from '../embedding/testing/tinyTfjsModels';
import { tempFolder } from '../embedding/testing/embedderFixtures';
import {
  createDigitsFixture,
  labelFromQueue,
  priorityMap,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { createRng } from '../acquisition/rng';
import { DEFAULT_INPUT_SPEC } from '../features/inputSpec';
import { embedPool, PoolEmbeddingCache } from './poolEmbedding';
import { scorePool } from './scorePool';
import { retrainProject } from './retrainProject';

let f: DigitsFixture;
let temp: Awaited<ReturnType<typeof tempFolder>>;
let backbone: string;

before(async () => {
  f = await createDigitsFixture(150);
  temp = await tempFolder('pool-embedding-');
  backbone = path.join(temp.folder, 'backbone');
  const { tf } = f.backend;
  const model = tinyLayersModel(tf, { height: 16, width: 16, channels: 3, seed: 4 });
  await saveLayersModel(tf, model, backbone);
  model.dispose();
});

after(async () => {
  await f.destroy();
  await temp.remove();
});

const setAcquisition = (acquisition: object) =>
  f.db.knex('projects').where({ id: f.project.id }).update({ acquisition });

const retrain = (cache?: PoolEmbeddingCache) =>
  retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 1,
    epochs: 5,
    embeddingCache: cache,
  });

test('a pretrained backbone orders the pool; the fit is reused, a new setting refits', async () => {
  const { tf } = f.backend;
  const baseline = tf.memory().numTensors;
  const cache = new PoolEmbeddingCache();
  await setAcquisition({ embedder: 'tfjs-model', embedder_model: backbone });
  const first = await retrain(cache);
  assert.equal(first.kind, 'cold-start');
  assert.ok('embedding' in first.durationsMs, 'the first retrain fits');
  assert.equal(new Set((await priorityMap(f)).values()).size, 150, 'a full order');
  const second = await retrain(cache);
  assert.ok('embeddingCached' in second.durationsMs, 'the same backbone reuses the fit');
  assert.equal(cache.embedders.size, 1);

  await setAcquisition({ embedder: 'pca' });
  const third = await retrain(cache);
  assert.ok('embedding' in third.durationsMs, 'another embedder refits');
  assert.equal(cache.embedders.size, 1, 'the backbone no project uses was disposed');
  await cache.dispose();
  assert.equal(tf.memory().numTensors, baseline, 'no tensor outlives the cache');
});

test('a model trained after a backbone embedding records the embedder it was ordered by', async () => {
  await setAcquisition({
    embedder: 'tfjs-model',
    embedder_model: backbone,
    min_labels_for_model: 20,
  });
  assert.equal(await labelFromQueue(f, 40), 40);
  const outcome = await retrain();
  assert.equal(outcome.kind, 'model');
  const row = await getLatestModel({ tx: f.db.knex, projectId: f.project.id });
  const metrics = row?.metrics as { embedder?: string; embeddingExplained?: unknown };
  assert.match(metrics.embedder ?? '', /^tfjs-model:v1:[0-9a-f]{16}::unit$/);
  assert.equal(metrics.embeddingExplained, null, 'a backbone explains no pixel variance');
});

test('a backbone that cannot be loaded fails the retrain with a clear error', async () => {
  await setAcquisition({ embedder: 'tfjs-model', embedder_model: path.join(temp.folder, 'gone') });
  await assert.rejects(retrain(), /model\.json not found: .*gone\/model\.json/);
  await setAcquisition({});
});

test('labels committed between the scoring and the embedding pass do not fail the retrain', async () => {
  await setAcquisition({});
  const { tf } = f.backend;
  const rng = createRng(3);
  const pool = await scorePool({
    knex: f.db.knex,
    projectId: f.project.id,
    spec: DEFAULT_INPUT_SPEC,
    predictor: undefined,
    rng,
  });
  // A labeller answers meanwhile: that sample leaves the open pool before the second pass.
  assert.equal(await labelFromQueue(f, 3, 'meanwhile'), 3);
  const embedded = await embedPool({
    tf,
    logger: silentLogger,
    knex: f.db.knex,
    projectId: f.project.id,
    spec: DEFAULT_INPUT_SPEC,
    pool,
    labelledPixels: new Uint8Array(0),
    labelledCount: 0,
    rng,
  });
  assert.equal(embedded.pool.length, pool.ids.length * embedded.dim, 'one row per scored sample');
  for (let i = 0; i < pool.ids.length; i++) {
    const row = embedded.pool.subarray(i * embedded.dim, (i + 1) * embedded.dim);
    assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-3, `row ${i} is unit length`);
  }
});

test('a cached fit gives each remaining sample the row and typicality it had at the fit', async () => {
  await setAcquisition({});
  const { tf } = f.backend;
  const options = (pool: Awaited<ReturnType<typeof scorePool>>) => ({
    tf,
    logger: silentLogger,
    knex: f.db.knex,
    projectId: f.project.id,
    spec: DEFAULT_INPUT_SPEC,
    pool,
    labelledPixels: new Uint8Array(0),
    labelledCount: 0,
    cache,
    rng: createRng(5),
  });
  const score = () =>
    scorePool({
      knex: f.db.knex,
      projectId: f.project.id,
      spec: DEFAULT_INPUT_SPEC,
      predictor: undefined,
      rng: createRng(6),
    });
  const cache = new PoolEmbeddingCache();
  const before = await score();
  const fitted = await embedPool(options(before));
  assert.ok(fitted.refitted);
  assert.equal(await labelFromQueue(f, 5, 'between-retrains'), 5);
  const after = await score();
  assert.equal(after.ids.length, before.ids.length - 5);
  const reused = await embedPool(options(after));
  assert.equal(reused.refitted, false);
  const { dim } = fitted;
  after.ids.forEach((id, i) => {
    const was = before.ids.indexOf(id);
    assert.deepEqual(
      reused.pool.subarray(i * dim, (i + 1) * dim),
      fitted.pool.subarray(was * dim, (was + 1) * dim),
      `sample ${id} keeps its row`,
    );
    assert.equal(reused.typicality[i], fitted.typicality[was]);
  });
  await cache.dispose();
});
