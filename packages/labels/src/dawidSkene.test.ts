import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  argMax,
  fitDawidSkene,
  itemPosterior,
  majorityPosteriors,
  type DawidSkeneModel,
  type GroupedAnswers,
} from './dawidSkene';
import { group, simulateCrowd } from './testing/crowd';

function decide(model: DawidSkeneModel, answers: GroupedAnswers, i: number) {
  const out = new Float64Array(answers.classes);
  const start = answers.itemStart[i] ?? 0;
  const end = answers.itemStart[i + 1] ?? 0;
  return argMax(itemPosterior(model, answers, start, end, out));
}

function majority(answers: GroupedAnswers, i: number) {
  const t = majorityPosteriors(answers);
  return argMax(t.subarray(i * answers.classes, (i + 1) * answers.classes));
}

test('Dawid–Skene beats majority vote on a mixed crowd (6 at 95 %, 3 at 70 %, 1 random; overlap 3)', () => {
  const classes = 10;
  const accuracy = [0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.7, 0.7, 0.7, 1 / classes];
  const { truth, answers } = simulateCrowd({
    seed: 18,
    items: 2000,
    classes,
    accuracy,
    overlap: 3,
  });
  const model = fitDawidSkene(answers);
  const t = majorityPosteriors(answers);
  let ds = 0;
  let mv = 0;
  for (let i = 0; i < answers.items; i++) {
    if (decide(model, answers, i).index === truth[i]) ds++;
    if (argMax(t.subarray(i * classes, (i + 1) * classes)).index === truth[i]) mv++;
  }
  const dsAccuracy = ds / answers.items;
  const mvAccuracy = mv / answers.items;
  assert.ok(
    dsAccuracy > mvAccuracy + 0.01,
    `DS ${dsAccuracy.toFixed(3)} vs majority ${mvAccuracy.toFixed(3)}`,
  );
  // The random labeller's estimated accuracy is far below a careful one's.
  const diagonal = (j: number) => {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      sum += Math.exp(model.logConfusion[(j * classes + c) * classes + c] ?? -Infinity);
    }
    return sum / classes;
  };
  assert.ok(diagonal(9) < 0.3 && diagonal(0) > 0.85, `${diagonal(9)} vs ${diagonal(0)}`);
});

test('unanimous answers: that label, with a confidence near 1', () => {
  const answers = group(
    Array.from({ length: 20 }, (_, i) => [
      [0, i % 3],
      [1, i % 3],
      [2, i % 3],
    ]),
    3,
    3,
  );
  const model = fitDawidSkene(answers);
  for (let i = 0; i < answers.items; i++) {
    const { index, probability } = decide(model, answers, i);
    assert.equal(index, i % 3);
    assert.ok(probability > 0.95, `${probability}`);
  }
});

test('a single answer: DS gives what majority vote gives', () => {
  const answers = group([[[0, 2]], [[1, 0]], [[0, 1]]], 2, 3);
  const model = fitDawidSkene(answers);
  for (let i = 0; i < answers.items; i++) {
    assert.equal(decide(model, answers, i).index, majority(answers, i).index);
    assert.ok(decide(model, answers, i).probability > 1 / 3);
  }
});

test('a tie between equally reliable labellers: confidence 0.5, lowest class index', () => {
  // Two labellers who agree on 10 items (class 0 and 1 equally often), then disagree once.
  const agreed: [number, number][][] = Array.from({ length: 10 }, (_, i) => [
    [0, i % 2],
    [1, i % 2],
  ]);
  const answers = group(
    [
      ...agreed,
      [
        [0, 1],
        [1, 0],
      ],
    ],
    2,
    2,
  );
  const model = fitDawidSkene(answers);
  const tie = decide(model, answers, 10);
  assert.equal(tie.index, 0);
  assert.ok(Math.abs(tie.probability - 0.5) < 1e-9, `${tie.probability}`);
  assert.deepEqual(majority(answers, 10), { index: 0, probability: 0.5 });
});

test('an item with no answers leaves the fit untouched', () => {
  const answers = group([[[0, 1]], [], [[0, 1]]], 1, 2);
  const model = fitDawidSkene(answers);
  assert.ok(model.logPrior.every(Number.isFinite));
  assert.ok(model.logConfusion.every(Number.isFinite));
});

test('known items pin the confusion matrices: a labeller who swaps two classes is found out', () => {
  // Every item: labeller 0 answers right, labeller 1 swaps classes 0 and 1. From the answers
  // alone the two are mirror images; a few known items tell which one to trust.
  const swap = (c: number) => (c === 0 ? 1 : c === 1 ? 0 : c);
  const truth = Array.from({ length: 300 }, (_, i) => i % 3);
  const answers = group(
    truth.map((y) => [
      [0, y],
      [1, swap(y)],
    ]),
    2,
    3,
  );
  const known = new Int32Array(truth.length).fill(-1);
  for (let i = 0; i < 15; i++) known[i] = truth[i] ?? 0;
  const right = (model: DawidSkeneModel) =>
    truth.filter((y, i) => i >= 15 && decide(model, answers, i).index === y).length;
  const unknown = truth.length - 15;
  assert.equal(right(fitDawidSkene(answers, undefined, known)), unknown);
  assert.ok(right(fitDawidSkene(answers)) < unknown * 0.8, 'the answers alone should not decide');
});
