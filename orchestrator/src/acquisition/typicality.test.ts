import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { TensorFlow } from '../backend/chooseBackend';
import { cpuTensorFlow } from '../testing/cpuBackend';
import { createRng } from './rng';
import { neighbours, typicality } from './typicality';

let tf: TensorFlow;
before(async () => {
  tf = await cpuTensorFlow();
});

test('a sample of the pool counts neighbours in proportion to the whole pool', () => {
  assert.equal(neighbours(4000, 4000), 20);
  assert.equal(neighbours(1000, 4000), 5);
  assert.equal(neighbours(2000, 4000), 10);
  // Past 8,000 references the whole pool is itself measured on a sample of 8,000.
  assert.equal(neighbours(8000, 100_000), 20);
  assert.equal(neighbours(1000, 100_000), 3);
  assert.equal(neighbours(100, 100_000), 1);
  assert.equal(neighbours(300, 200), 20, 'a pool never counts as smaller than its rows');
});

/** Unit vectors at the given angles (radians) in the plane. */
function circle(angles: number[]): Float32Array {
  return Float32Array.from(angles.flatMap((a) => [Math.cos(a), Math.sin(a)]));
}

test('on a sample, a small tight group is dense at the radius the whole pool would use', () => {
  // A pair close together on one side of the circle, 30 rows spread over the other side.
  const spread = Array.from({ length: 30 }, (_, i) => Math.PI + (i - 15) * 0.05);
  const rows = circle([0, 0.001, ...spread]);
  const whole = typicality(tf, rows, 2, createRng(1));
  const sampled = typicality(tf, rows, 2, createRng(1), 32 * 20);
  const spreadMean = (t: Float32Array) => t.slice(2).reduce((s, v) => s + v, 0) / 30;
  // As the whole pool, its 20 nearest include far rows: the pair is the least typical.
  assert.ok((whole[0] ?? 1) < spreadMean(whole) / 2, `whole: pair ${whole[0]}`);
  // As a 1/20 sample of a larger pool, one neighbour counts: the pair is the densest place.
  assert.equal(sampled[0], 1);
  assert.ok(spreadMean(sampled) < 0.1, `sampled: spread ${spreadMean(sampled)}`);
});
