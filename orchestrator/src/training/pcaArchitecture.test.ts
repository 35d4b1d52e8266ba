import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getLatestModel } from '@al/db';
import { parseModelMetrics } from '@al/contract';
import { loadModel } from '../model/modelArtifacts';
import { loadStoredPredictor } from '../model/storedPredictor';
import { halfWhitenedProjection } from '../model/pcaProjection';
import {
  createDigitsFixture,
  heldOutAccuracy,
  labelFromQueue,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { PoolEmbeddingCache } from './poolEmbedding';
import { retrainProject } from './retrainProject';

let colour: DigitsFixture;
let grey: DigitsFixture;
const caches: PoolEmbeddingCache[] = [];

before(async () => {
  colour = await createDigitsFixture(200, { colour: true });
  grey = await createDigitsFixture(200);
});

after(async () => {
  await Promise.all(caches.map((c) => c.dispose()));
  await colour.destroy();
  await grey.destroy();
});

function retrain(f: DigitsFixture, cache: PoolEmbeddingCache | undefined) {
  return retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 1,
    epochs: 10,
    embeddingCache: cache,
  });
}

/** Cold start, 100 labels, then a retrain that trains a model: its stored row. */
async function firstModel(f: DigitsFixture, cache: PoolEmbeddingCache) {
  assert.equal((await retrain(f, cache)).kind, 'cold-start');
  assert.equal(await labelFromQueue(f, 100), 100);
  assert.equal((await retrain(f, cache)).kind, 'model');
  const row = await getLatestModel({ tx: f.db.knex, projectId: f.project.id });
  assert.ok(row);
  return row;
}

test("colour images train behind the pool's half-whitened PCA, stored as a model on pixels", async () => {
  const cache = new PoolEmbeddingCache();
  caches.push(cache);
  const row = await firstModel(colour, cache);
  assert.equal(parseModelMetrics(row.metrics).architecture, 'pca');

  const { tf } = colour.backend;
  const stored = await loadStoredPredictor(row, { tf, logger: silentLogger });
  try {
    const spec = stored.meta.inputSpec;
    assert.equal(spec.channels, 3);
    // The frozen layer is the cached fit's projection, untouched by training.
    const basis = cache.pcaBasis(colour.project.id, spec);
    assert.ok(basis);
    const expected = halfWhitenedProjection(basis);
    const { model } = await loadModel(tf, row);
    const [kernel, bias] = model
      .getLayer('pca_projection')
      .getWeights()
      .map((w) => w.dataSync());
    model.dispose();
    assert.deepEqual(kernel, expected.kernel);
    assert.deepEqual(bias, expected.bias);
    // Loaded from its artifacts alone, the held-out accuracy recomputes exactly.
    assert.equal(
      await heldOutAccuracy(colour, stored.predictor, spec),
      parseModelMetrics(row.metrics).accuracy,
    );
  } finally {
    await stored.dispose();
  }
});

test('grey images keep the dense network', async () => {
  const cache = new PoolEmbeddingCache();
  caches.push(cache);
  const row = await firstModel(grey, cache);
  assert.equal(parseModelMetrics(row.metrics).architecture, 'dense');
});

test('without a cached PCA fit (a restarted orchestrator) colour images train the dense network', async () => {
  assert.equal(await labelFromQueue(colour, 20), 20);
  assert.equal((await retrain(colour, undefined)).kind, 'model');
  const row = await getLatestModel({ tx: colour.db.knex, projectId: colour.project.id });
  assert.ok(row);
  assert.equal(parseModelMetrics(row.metrics).architecture, 'dense');
});
