import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { getLatestModel, listProjectModels } from '@al/db';
import { parseModelMetrics } from '@al/contract';
import { exportDatapool } from '../datapool/exportDatapool';
import { saveLayersModel, tinyLayersModel } from '../embedding/testing/tinyTfjsModels';
import { tempFolder } from '../embedding/testing/embedderFixtures';
import { loadStoredPredictor } from '../model/storedPredictor';
import {
  createDigitsFixture,
  heldOutAccuracy,
  labelFromQueue,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { loadLabelledData } from './labelledData';
import { PoolEmbeddingCache } from './poolEmbedding';
import { retrainProject } from './retrainProject';

let f: DigitsFixture;
let temp: Awaited<ReturnType<typeof tempFolder>>;
let backbone: string;
const cache = new PoolEmbeddingCache();

before(async () => {
  f = await createDigitsFixture(200);
  temp = await tempFolder('backbone-head-');
  backbone = path.join(temp.folder, 'backbone');
  const { tf } = f.backend;
  const model = tinyLayersModel(tf, { height: 16, width: 16, channels: 3, seed: 4 });
  await saveLayersModel(tf, model, backbone);
  model.dispose();
  await f.db
    .knex('projects')
    .where({ id: f.project.id })
    .update({
      acquisition: {
        embedder: 'tfjs-model',
        embedder_model: backbone,
        embedder_output: 'features',
        classifier_input: 'backbone',
      },
    });
});

after(async () => {
  await cache.dispose();
  await f.destroy();
  await temp.remove();
});

const retrain = () =>
  retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 1,
    epochs: 20,
    embeddingCache: cache,
  });

const loadData = () =>
  loadLabelledData({
    knex: f.db.knex,
    projectId: f.project.id,
    options: f.project.options,
    multiLabel: false,
    spec: { width: 28, height: 28, channels: 1 },
  });

test("classifier_input 'backbone': the model is a head on the backbone's features", async () => {
  assert.equal((await retrain()).kind, 'cold-start');
  // 10 classes × unshifted_scorer_per_class (10) training labels would call for the scorer.
  assert.equal(await labelFromQueue(f, 130), 130);
  const outcome = await retrain();
  assert.equal(outcome.kind, 'model');
  const row = await getLatestModel({ tx: f.db.knex, projectId: f.project.id });
  assert.ok(row);
  const metrics = parseModelMetrics(row.metrics);
  assert.equal(metrics.architecture, 'head');
  assert.equal(metrics.uncertaintyScoredBy, 'model', 'a head trains no unshifted scorer');
  assert.ok((metrics.trainedOn ?? 0) > 100);

  // Loaded from its artifacts alone, it predicts pixels through the same backbone: the stored
  // held-out accuracy recomputes exactly.
  const { tf } = f.backend;
  const stored = await loadStoredPredictor(row, { tf, logger: silentLogger });
  try {
    assert.equal(stored.meta.backbone?.key, metrics.embedder, 'the backbone the pool used');
    assert.equal(stored.meta.backbone?.settings.embedder_model, backbone);
    assert.equal(
      await heldOutAccuracy(f, stored.predictor, stored.meta.inputSpec),
      metrics.accuracy,
    );
  } finally {
    await stored.dispose();
  }
  const suggested = await f.db
    .knex('samples')
    .where({ project_id: f.project.id, status: 'open' })
    .whereNotNull('predicted_label')
    .count<{ count: string }[]>('* as count');
  assert.equal(Number(suggested[0]?.count), outcome.poolSize, 'every open sample has a guess');
});

test('an earlier head is measured again through the backbone once the held-out share grows', async () => {
  const before = (await loadData()).evaluation.sampleIds.length;
  assert.equal(await labelFromQueue(f, 60), 60);
  const grown = (await loadData()).evaluation.sampleIds.length;
  assert.ok(grown >= before * 1.25, `held out ${before} → ${grown}`);
  assert.equal((await retrain()).kind, 'model');
  const versions = await listProjectModels({ tx: f.db.knex, projectId: f.project.id });
  const first = versions.find((v) => v.version === 1);
  assert.ok(first);
  const metrics = parseModelMetrics(first.metrics);
  assert.equal(metrics.reevaluationFailed, undefined);
  assert.ok(metrics.reevaluatedAt, 'measured again');
  assert.equal(metrics.evaluatedOn, grown);
});

test("the datapool export embeds with the head's layer, through its backbone", async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const { tf } = f.backend;
  const result = await exportDatapool({
    knex: f.db.knex,
    projectId: f.project.id,
    backend: f.backend,
    logger: silentLogger,
    out,
  });
  assert.equal(result.rows, 200);
  assert.equal(result.dim, 64, "the head's embedding layer");
  const before = tf.memory().numTensors;
  const row = await getLatestModel({ tx: f.db.knex, projectId: f.project.id });
  const stored = await loadStoredPredictor(
    { artifacts: row?.artifacts },
    { tf, logger: silentLogger },
  );
  await stored.dispose();
  assert.equal(tf.memory().numTensors, before, 'head and backbone are freed');
  const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
  assert.equal(lines.length, 201);
});

test('a head whose backbone file changed is refused, not fed features of another model', async () => {
  const { tf } = f.backend;
  const row = await getLatestModel({ tx: f.db.knex, projectId: f.project.id });
  const other = tinyLayersModel(tf, { height: 16, width: 16, channels: 3, seed: 9 });
  await saveLayersModel(tf, other, backbone);
  other.dispose();
  await assert.rejects(
    loadStoredPredictor({ artifacts: row?.artifacts }, { tf, logger: silentLogger }),
    /is not the one this head was trained on/,
  );
});
