import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ACQUISITION_SETTING_BOUNDS,
  AcquisitionSettingsError,
  acquisitionSettingsSchema,
  parseAcquisitionSettings,
} from './acquisitionSettings';

test('an empty or null jsonb gives every default', () => {
  const expected = {
    function: 'margin',
    diversity: true,
    min_distance: 0.05,
    n_samples: 1000,
    typicality_strength: 0.5,
    uncertainty_after_per_class: 5,
    uncertainty_full_per_class: 20,
    uncertainty_after_agreement: 0,
    uncertainty_full_agreement: 0,
    unshifted_scorer_per_class: 10,
    diversity_space: 'model',
    candidate_pool: 5000,
    shuffle_prop: 0.1,
    class_balance: 'cold',
    retrain_every_labels: 50,
    retrain_every_seconds: 300,
    min_labels_for_model: 20,
    embedder: 'pca',
    embedder_model: null,
    embedder_output: null,
    embedder_input_range: 'unit',
    classifier_input: 'pixels',
  };
  assert.deepEqual(parseAcquisitionSettings({}), expected);
  assert.deepEqual(parseAcquisitionSettings(null), expected);
});

test("class_balance takes 'off', 'cold' or 'always', and reads true/false as always/off", () => {
  assert.equal(parseAcquisitionSettings({ class_balance: true }).class_balance, 'always');
  assert.equal(parseAcquisitionSettings({ class_balance: false }).class_balance, 'off');
  assert.equal(parseAcquisitionSettings({ class_balance: 'off' }).class_balance, 'off');
  assert.throws(() => parseAcquisitionSettings({ class_balance: 'sometimes' }), /class_balance/);
});

test("diversity_space takes 'model', 'pool' or 'both'", () => {
  assert.equal(parseAcquisitionSettings({ diversity_space: 'pool' }).diversity_space, 'pool');
  assert.equal(parseAcquisitionSettings({ diversity_space: 'both' }).diversity_space, 'both');
  assert.throws(() => parseAcquisitionSettings({ diversity_space: 'pixels' }), /diversity_space/);
});

test('given values override the defaults', () => {
  const s = parseAcquisitionSettings({ function: 'margin', diversity: false, n_samples: 10 });
  assert.equal(s.function, 'margin');
  assert.equal(s.diversity, false);
  assert.equal(s.n_samples, 10);
  assert.equal(s.shuffle_prop, 0.1);
});

test('a pretrained embedder takes a path or an http(s)/file URL', () => {
  for (const model of ['/models/b/model.json', 'https://h/m/model.json', 'file:///m/b.onnx']) {
    const s = parseAcquisitionSettings({ embedder: 'tfjs-model', embedder_model: model });
    assert.equal(s.embedder_model, model);
    assert.equal(s.embedder_input_range, 'unit');
  }
  for (const range of ['unit', 'symmetric', 'bytes'] as const) {
    const s = parseAcquisitionSettings({ embedder_input_range: range });
    assert.equal(s.embedder_input_range, range);
  }
  const onBackbone = parseAcquisitionSettings({
    embedder: 'onnx-model',
    embedder_model: '/m/b.onnx',
    classifier_input: 'backbone',
  });
  assert.equal(onBackbone.classifier_input, 'backbone');
});

test('bad values are rejected with an error naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ function: 'bald' }, /function/],
    [{ min_distance: 3 }, /min_distance/],
    [{ shuffle_prop: -0.1 }, /shuffle_prop/],
    [{ n_samples: 2.5 }, /n_samples/],
    [{ n_samples: 100, candidate_pool: 10 }, /candidate_pool must be at least n_samples/],
    [{ retrain_every_labels: 0 }, /retrain_every_labels/],
    [{ min_distanse: 0.1 }, /min_distanse/],
    [{ embedder: 'resnet' }, /embedder/],
    [{ embedder: 'tfjs-model' }, /embedder_model is required/],
    [{ embedder: 'onnx-model', embedder_model: 'models/b.onnx' }, /absolute path/],
    [{ embedder: 'tfjs-model', embedder_model: 's3://m/model.json' }, /absolute path/],
    [{ embedder_input_range: '0-255' }, /embedder_input_range/],
    [{ classifier_input: 'backbone' }, /classifier_input 'backbone' needs a pretrained embedder/],
    [{ classifier_input: 'features' }, /classifier_input/],
    ['entropy', /object/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(
      () => parseAcquisitionSettings(raw),
      (err: unknown) => err instanceof AcquisitionSettingsError && message.test(err.message),
      `${JSON.stringify(raw)} should fail with ${message}`,
    );
  }
});

test('each bound in ACQUISITION_SETTING_BOUNDS is the one the schema enforces', () => {
  for (const [key, bounds] of Object.entries(ACQUISITION_SETTING_BOUNDS)) {
    // At the bound passes, one step past it fails (candidate_pool must stay >= n_samples).
    const valid = (value: number) =>
      acquisitionSettingsSchema.safeParse({ n_samples: 1, candidate_pool: 10_000, [key]: value })
        .success;
    assert.ok(valid(bounds.min), `${key} = ${bounds.min}`);
    assert.ok(!valid(bounds.min - 1), `${key} = ${bounds.min - 1}`);
    if ('max' in bounds) {
      assert.ok(valid(bounds.max), `${key} = ${bounds.max}`);
      assert.ok(!valid(bounds.max + 0.5), `${key} = ${bounds.max + 0.5}`);
    }
  }
});
