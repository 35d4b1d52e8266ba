import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getLatestModel, getProjectById, type DbSampleRow } from '@al/db';
import { parseAcquisitionSettings } from '@al/contract';
import { scoreUncertainty } from '../acquisition/uncertainty';
import { createRng } from '../acquisition/rng';
import { cacheProjectFeatures } from '../features/cacheFeatures';
import { DEFAULT_INPUT_SPEC, featureLength, inputSpecKey } from '../features/inputSpec';
import { evaluatePredictions } from '../model/metrics';
import { loadModel } from '../model/modelArtifacts';
import { Predictor } from '../model/predictInBatches';
import { SampleReader } from '../features/sampleReader';
import {
  createDigitsFixture,
  labelFromQueue,
  priorityMap,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { loadLabelledData } from './labelledData';
import { PoolEmbeddingCache } from './poolEmbedding';
import { predictionOf } from './predictionOf';
import { retrainProject } from './retrainProject';
import { TrainerThread } from './trainerThread';
import { startUnshiftedScorer, wantsUnshiftedScorer } from './unshiftedScorer';

let f: DigitsFixture;
let thread: TrainerThread;

before(async () => {
  f = await createDigitsFixture(300);
  thread = new TrainerThread({ backend: f.backend.name, logger: silentLogger });
});

after(async () => {
  await thread.close();
  await f.destroy();
});

const run = (extra: Partial<Parameters<typeof retrainProject>[1]> = {}) =>
  retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 1,
    epochs: 40,
    ...extra,
  });

test('cold start orders the pool by diversity and caches every image once', async () => {
  const outcome = await run();
  assert.equal(outcome.kind, 'cold-start');
  assert.equal(outcome.poolSize, 300);
  assert.equal(outcome.written, 300);
  const priorities = [...(await priorityMap(f)).values()];
  assert.equal(new Set(priorities).size, 300, 'every sample has its own rank');
  const again = await cacheProjectFeatures({
    knex: f.db.knex,
    projectId: f.project.id,
    spec: DEFAULT_INPUT_SPEC,
    reader: new SampleReader(f.project.source_roots),
    logger: silentLogger,
  });
  assert.deepEqual(again, { decoded: 0, failed: 0 }, 'a second run decodes nothing');
  const cached = await f.db.knex('feature_cache').where({ spec: inputSpecKey(DEFAULT_INPUT_SPEC) });
  assert.equal(cached.length, 300);
  const project = await getProjectById({ tx: f.db.knex, id: f.project.id });
  assert.deepEqual(
    project?.input_spec,
    { width: 28, height: 28, channels: 1 },
    'grey 28x28 digits keep their size, derived once and stored',
  );
});

test('the pool embedding is fitted once and reused while the pool is mostly the same', async () => {
  const cache = new PoolEmbeddingCache();
  const first = await run({ embeddingCache: cache });
  assert.ok('embedding' in first.durationsMs, 'first retrain fits');
  const second = await run({ embeddingCache: cache });
  assert.ok('embeddingCached' in second.durationsMs, 'second retrain reuses the fit');
  assert.ok(!('embedding' in second.durationsMs));
  assert.equal(new Set((await priorityMap(f)).values()).size, 300, 'a full order again');
});

test('the held-out share is handed out at a steady rate, not in acquisition order', async () => {
  await run();
  const rows = await f.db
    .knex('samples')
    .select<{ split: string }[]>('split')
    .where({ project_id: f.project.id, status: 'open' })
    .orderBy([{ column: 'priority', order: 'desc' }, 'id']);
  const share = rows.filter((r) => r.split === 'eval').length / rows.length;
  assert.ok(share > 0.03, `the demo holds some out (${share})`);
  for (const prefix of [50, 100, 200]) {
    const held = rows.slice(0, prefix).filter((r) => r.split === 'eval').length;
    assert.ok(Math.abs(held - share * prefix) <= 1.5, `${held} held out among the first ${prefix}`);
  }
});

test('a retrain stores a loadable model whose accuracy recomputes on the held-out share', async () => {
  assert.equal(await labelFromQueue(f, 200), 200);
  const before = await priorityMap(f);
  const doneBefore = await f.db.knex('samples').where({ project_id: f.project.id, status: 'done' });

  // The job loop's way on two cores: the scorer trains in the trainer thread meanwhile.
  const outcome = await run({ trainerThread: thread });
  assert.equal(outcome.kind, 'model');
  assert.equal(outcome.version, 1);
  assert.equal(outcome.poolSize, 100, 'only open samples are scored');

  const row = await getLatestModel({ tx: f.db.knex, projectId: f.project.id });
  assert.ok(row);
  const metrics = row.metrics as { accuracy: number; evaluatedOn: number; trainedOn: number };
  const { model, meta } = await loadModel(f.backend.tf, row);
  const data = await loadLabelledData({
    knex: f.db.knex,
    projectId: f.project.id,
    options: meta.labels,
    multiLabel: meta.multiLabel,
    spec: meta.inputSpec,
  });
  assert.ok(data.evaluation.sampleIds.length > 0, 'the demo has a held-out share');
  assert.equal(metrics.evaluatedOn, data.evaluation.sampleIds.length);
  assert.equal(row.trained_on, data.train.sampleIds.length);
  const predictor = new Predictor(f.backend.tf, model);
  const { probs } = predictor.predict(data.evaluation.pixels, data.evaluation.sampleIds.length);
  const recomputed = evaluatePredictions({
    probs,
    targets: data.evaluation.targets,
    labels: meta.labels,
    multiLabel: meta.multiLabel,
  });
  assert.ok(recomputed.accuracy !== null);
  assert.ok(Math.abs(recomputed.accuracy - metrics.accuracy) < 1e-9);
  assert.ok(metrics.accuracy > 0.5, `a model from 200 digits beats chance (${metrics.accuracy})`);

  // Priorities changed, labelled samples untouched, open ones scored by this version.
  const afterMap = await priorityMap(f);
  const open = await f.db
    .knex<DbSampleRow>('samples')
    .where({ project_id: f.project.id, status: 'open' })
    .orderBy([{ column: 'priority', order: 'desc' }, 'id']);
  assert.ok(
    open.some((s) => afterMap.get(s.id) !== before.get(s.id)),
    'priorities changed',
  );
  for (const s of doneBefore as DbSampleRow[]) {
    assert.equal(afterMap.get(s.id), before.get(s.id), 'a labelled sample keeps its priority');
  }
  assert.ok(open.every((s) => s.scored_model_version === 1 && s.predicted_label !== null));

  const pixelsOf = async (ids: number[]) => {
    const rows = await f.db
      .knex('samples as s')
      .join('feature_cache as c', 'c.content_hash', 's.content_hash')
      .whereIn('s.id', ids)
      .select<{ id: number; data: Buffer }[]>('s.id', 'c.data');
    const byId = new Map(rows.map((r) => [r.id, r.data]));
    const len = featureLength(meta.inputSpec);
    const out = new Uint8Array(ids.length * len);
    ids.forEach((id, i) => {
      out.set(byId.get(id) ?? new Uint8Array(len), i * len);
    });
    return out;
  };
  // The suggestions are the stored model's, whatever scored uncertainty.
  const openProbs = predictor.predict(await pixelsOf(open.map((s) => s.id)), open.length).probs;
  open.forEach((s, i) => {
    assert.equal(
      s.predicted_label,
      predictionOf(openProbs, i, meta.labels, false).label,
      `suggestion for ${s.id}`,
    );
  });

  // ~18 training labels per class: uncertainty was scored by the unshifted scorer, so the top
  // of the queue is more uncertain than its bottom under a scorer trained the same way.
  const settings = parseAcquisitionSettings(null);
  assert.ok(wantsUnshiftedScorer(settings, data.train.sampleIds.length, meta.labels.length));
  assert.equal(row.metrics.uncertaintyScoredBy, 'unshifted scorer');
  assert.ok(Number(row.metrics.uncertaintyStrength) > 0);
  assert.equal(row.metrics.diversitySpace, 'model', "k-center ran on the scorer's layer");
  assert.ok('scorerTraining' in outcome.durationsMs);
  const scorerModel = await startUnshiftedScorer({
    tf: f.backend.tf,
    backend: f.backend.name,
    train: data.train,
    numClasses: meta.labels.length,
    multiLabel: false,
    spec: meta.inputSpec,
    epochs: 40,
    seed: 1,
  }).model();
  const scorer = new Predictor(f.backend.tf, scorerModel);
  const meanUncertainty = async (ids: number[]) => {
    const p = scorer.predict(await pixelsOf(ids), ids.length).probs;
    const scores = scoreUncertainty(settings.function, {
      probs: p,
      numClasses: meta.labels.length,
      multiLabel: false,
      rng: createRng(0),
    });
    return scores.reduce((a, b) => a + b, 0) / scores.length;
  };
  const top = await meanUncertainty(open.slice(0, 20).map((s) => s.id));
  const bottom = await meanUncertainty(open.slice(-20).map((s) => s.id));
  assert.ok(top > bottom, `top of queue ${settings.function} ${top} > bottom ${bottom}`);
  model.dispose();
  scorerModel.dispose();
});

test('a crash inside the write transaction leaves priorities and labels as they were', async () => {
  await labelFromQueue(f, 10);
  const before = await priorityMap(f);
  const labelsBefore = await f.db.knex('labels').count<{ count: string }[]>('* as count');
  await assert.rejects(
    run({
      beforeWrite: () => Promise.reject(new Error('injected crash')),
    }),
    /injected crash/,
  );
  assert.deepEqual(await priorityMap(f), before);
  const models = await f.db.knex('models').where({ project_id: f.project.id });
  assert.equal(models.length, 1, 'the model row of the crashed run was rolled back');
  const labelsAfter = await f.db.knex('labels').count<{ count: string }[]>('* as count');
  assert.deepEqual(labelsAfter, labelsBefore);
});

test("a model's metrics hold its agreement with the previous model's stored suggestions", async () => {
  const first = await getLatestModel({ tx: f.db.knex, projectId: f.project.id });
  assert.equal((first?.metrics as { agreement: unknown }).agreement, null, 'none before it');
  const suggestions = async () =>
    new Map(
      (
        await f.db
          .knex<DbSampleRow>('samples')
          .where({ project_id: f.project.id, status: 'open' })
          .select('id', 'predicted_label')
      ).map((s) => [s.id, s.predicted_label]),
    );
  const before = await suggestions();
  const outcome = await run({ seed: 2, epochs: 5 });
  assert.equal(outcome.kind, 'model');
  const after = await suggestions();
  const same = [...after].filter(([id, label]) => before.get(id) === label).length;
  const latest = await getLatestModel({ tx: f.db.knex, projectId: f.project.id });
  const { agreement } = latest?.metrics as { agreement: number };
  assert.equal(agreement, same / after.size);
  assert.ok(agreement > 0 && agreement < 1, `a 5-epoch model differs somewhat (${agreement})`);
});
