import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeHonesty, type HonestyCheck } from './honesty';

const check = (
  reported: number | null,
  test: number | null,
  evaluatedOn: number,
  interval: [number, number] | null = null,
): HonestyCheck => ({ reported, test, evaluatedOn, interval });

const close = (actual: number | undefined, expected: number) => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
};

test('signed and absolute differences, the 3-point share and the interval share', () => {
  const s = summarizeHonesty([
    check(0.81, 0.78, 40, [0.7, 0.9]), // +3 points exactly: within, inside
    check(0.6, 0.7, 50, [0.5, 0.69]), // −10: outside both
    check(0.9, 0.89, 20, [0.8, 0.95]), // +1: within, inside
  ]);
  assert.ok(s);
  assert.equal(s.models, 3);
  close(s.meanDifference, (0.03 - 0.1 + 0.01) / 3);
  close(s.meanAbsDifference, (0.03 + 0.1 + 0.01) / 3);
  close(s.withinTolerance, 2 / 3);
  close(s.insideInterval, 2 / 3);
});

test('models without a reported or test accuracy, or below the held-out minimum, are left out', () => {
  const checks = [
    check(null, 0.5, 0),
    check(0.5, null, 40, [0.4, 0.6]),
    check(0.5, 0.45, 10, [0.3, 0.7]),
    check(0.7, 0.8, 30, [0.6, 0.75]),
  ];
  assert.equal(summarizeHonesty(checks)?.models, 2);
  const reliable = summarizeHonesty(checks, 30);
  assert.ok(reliable);
  assert.equal(reliable.models, 1);
  close(reliable.meanDifference, -0.1);
  assert.equal(reliable.withinTolerance, 0);
  assert.equal(reliable.insideInterval, 0);
  assert.equal(summarizeHonesty([check(null, 0.5, 0)]), undefined);
});
