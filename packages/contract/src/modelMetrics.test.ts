import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelUpdateSchema } from './events';
import { ModelMetricsSchema, parseModelMetrics } from './modelMetrics';

/** What the orchestrator writes for a single-label project (retrainProject + trainAndEvaluate). */
const written = {
  evaluatedOn: 40,
  accuracy: 0.9,
  accuracyInterval: [0.77, 0.96],
  macroF1: 0.89,
  perClass: [
    { label: 'cat', precision: 1, recall: 0.8, f1: 0.89, support: 20 },
    { label: 'dog', precision: 0.83, recall: 1, f1: 0.91, support: 20 },
  ],
  confusion: [
    [16, 4],
    [0, 20],
  ],
  trainedOn: 400,
  epochs: 128,
  backend: 'wasm',
  architecture: 'dense',
  trainingMs: 5210,
  evaluationMs: 12,
  warnings: [],
  durationsMs: { features: 300, training: 5300, write: 120 },
  poolSize: 9560,
  selected: 200,
  acquisition: 'margin',
  uncertaintyStrength: 1,
  embeddingExplained: 0.71,
  embedder: 'pca:1:28x28x1',
};

test("the orchestrator's metrics parse as they are", () => {
  assert.deepEqual(ModelMetricsSchema.parse(written), written);
  const update = ModelUpdateSchema.parse({ version: 3, metrics: written });
  assert.equal(update.metrics.perClass?.[1]?.label, 'dog');
});

test('older rows parse: missing keys stay missing, a missing accuracy reads null, unknown keys pass', () => {
  assert.deepEqual(parseModelMetrics({ accuracy: 0.75 }), { accuracy: 0.75 });
  assert.deepEqual(parseModelMetrics({ evaluatedOn: 0, calibration: 'none' }), {
    accuracy: null,
    evaluatedOn: 0,
    calibration: 'none',
  });
  assert.deepEqual(parseModelMetrics({ ...written, perClass: [{ label: 'cat', extra: 1 }] }), {
    ...written,
    perClass: [{ label: 'cat', extra: 1 }],
  });
});

test('a named key of the wrong type is refused', () => {
  assert.throws(() => parseModelMetrics({ accuracy: '0.9' }));
  assert.throws(() => parseModelMetrics({ accuracy: 0.9, confusion: [['x']] }));
  assert.equal(
    ModelUpdateSchema.safeParse({ version: 1.5, metrics: { accuracy: 1 } }).success,
    false,
  );
  assert.equal(ModelUpdateSchema.safeParse({ version: 1 }).success, false);
});
