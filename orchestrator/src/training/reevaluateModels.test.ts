import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  insertModelVersion,
  listModelArtifacts,
  listModelsToReevaluate,
  listProjectModels,
} from '@al/db';
import { DEFAULT_INPUT_SPEC } from '../features/inputSpec';
import { evaluatePredictions } from '../model/metrics';
import { loadModel } from '../model/modelArtifacts';
import { Predictor } from '../model/predictInBatches';
import {
  createDigitsFixture,
  labelFromQueue,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { loadLabelledData } from './labelledData';
import { reevaluateModels } from './reevaluateModels';
import { retrainProject } from './retrainProject';

let f: DigitsFixture;

before(async () => {
  f = await createDigitsFixture(300);
});

after(async () => {
  await f.destroy();
});

const retrain = () =>
  retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 1,
    epochs: 20,
  });

const heldOutNow = async () =>
  (
    await loadLabelledData({
      knex: f.db.knex,
      projectId: f.project.id,
      options: f.project.options,
      multiLabel: false,
      spec: DEFAULT_INPUT_SPEC,
    })
  ).evaluation;

const metricsOf = async (version: number) => {
  const row = (await listProjectModels({ tx: f.db.knex, projectId: f.project.id })).find(
    (m) => m.version === version,
  );
  assert.ok(row, `version ${version} exists`);
  return row.metrics;
};

test('a retrain measures the earlier version again on every held-out label given since', async () => {
  await retrain();
  await labelFromQueue(f, 100);
  assert.equal((await retrain()).version, 1);
  const first = await metricsOf(1);
  const evaluatedFirst = first.evaluatedOn as number;
  assert.ok(evaluatedFirst > 0, 'the demo holds some out');

  await labelFromQueue(f, 120);
  assert.equal((await retrain()).version, 2);
  const heldOut = await heldOutNow();
  const n = heldOut.sampleIds.length;
  assert.ok(n >= evaluatedFirst * 1.25, `the held-out share grew: ${evaluatedFirst} → ${n}`);

  const again = await metricsOf(1);
  assert.equal(again.evaluatedOn, n, 'version 1 now measured on all of it');
  assert.equal(typeof again.reevaluatedAt, 'string');
  assert.equal(again.trainedOn, first.trainedOn, 'what it was trained on stays');
  const stored = (await listModelArtifacts({ tx: f.db.knex, projectId: f.project.id }))[0];
  assert.ok(stored);
  const { model, meta } = await loadModel(f.backend.tf, stored);
  const { probs } = new Predictor(f.backend.tf, model).predict(heldOut.pixels, n);
  model.dispose();
  const recomputed = evaluatePredictions({
    probs,
    targets: heldOut.targets,
    labels: meta.labels,
    multiLabel: false,
  });
  assert.equal(again.accuracy, recomputed.accuracy, "version 1's own weights on today's labels");
  assert.deepEqual(again.accuracyInterval, recomputed.accuracyInterval);
  assert.deepEqual(again.confusion, recomputed.confusion);
  const noisy = `only ${n} held-out labelled samples: accuracy is noisy`;
  assert.deepEqual(again.warnings, [noisy], 'the noisy warning counts the labels it now uses');

  const second = await metricsOf(2);
  assert.equal(second.evaluatedOn, n, 'the new version was measured on the same labels');
  assert.equal(second.reevaluatedAt, undefined);
  assert.equal(await reevaluateModels(target(heldOut)), 0, 'nothing is due until the share grows');
});

function target(heldOut: Awaited<ReturnType<typeof heldOutNow>>) {
  return {
    tf: f.backend.tf,
    knex: f.db.knex,
    projectId: f.project.id,
    spec: DEFAULT_INPUT_SPEC,
    labels: f.project.options,
    multiLabel: false,
    heldOut,
    logger: silentLogger,
  };
}

test('a version whose weights do not load keeps its figures and is not tried again', async () => {
  await insertModelVersion({
    tx: f.db.knex,
    projectId: f.project.id,
    trainedOn: 3,
    metrics: { accuracy: 0.5, evaluatedOn: 1 },
    backend: 'wasm',
    artifacts: { format: 'something else' },
  });
  const version = Math.max(
    ...(await listProjectModels({ tx: f.db.knex, projectId: f.project.id })).map((m) => m.version),
  );
  const heldOut = await heldOutNow();
  assert.equal(await reevaluateModels(target(heldOut)), 0);
  const metrics = await metricsOf(version);
  assert.equal(metrics.accuracy, 0.5);
  assert.equal(metrics.evaluatedOn, 1);
  assert.match(String(metrics.reevaluationFailed), /does not load/);
  const due = await listModelsToReevaluate({
    tx: f.db.knex,
    projectId: f.project.id,
    minEvaluatedOn: heldOut.sampleIds.length,
    limit: 10,
  });
  assert.deepEqual(due, [], 'no longer due');
});
