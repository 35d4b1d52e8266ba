import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePriorities } from './order';
import { createRng } from './rng';

/** Pool indices from the highest priority to the lowest. */
function handOutOrder(priorities: Float64Array): number[] {
  return Array.from(priorities.keys()).sort((a, b) => (priorities[b] ?? 0) - (priorities[a] ?? 0));
}

test('selected samples come first in selection order, then the rest by score', () => {
  const scores = Float32Array.from([0.1, 0.9, 0.5, 0.3, 0.7, 0.2]);
  const selected = Int32Array.from([3, 0]);
  const priorities = computePriorities({ scores, selected, shuffleProp: 0, rng: createRng(1) });
  assert.deepEqual(handOutOrder(priorities), [3, 0, 1, 4, 2, 5]);
  assert.equal(priorities[3], 1);
  assert.ok(priorities.every((p) => p > 0 && p <= 1));
});

test('shuffle_prop 0 is deterministic whatever the seed; shuffle_prop > 0 moves a share', () => {
  const n = 10_000;
  const scores = new Float32Array(n).map((_, i) => 1 - i / n);
  const selected = Int32Array.from([5, 50, 500]);
  const a = computePriorities({ scores, selected, shuffleProp: 0, rng: createRng(1) });
  const b = computePriorities({ scores, selected, shuffleProp: 0, rng: createRng(2) });
  assert.deepEqual(a, b);

  const shuffled = computePriorities({ scores, selected, shuffleProp: 0.1, rng: createRng(3) });
  const again = computePriorities({ scores, selected, shuffleProp: 0.1, rng: createRng(3) });
  assert.deepEqual(shuffled, again, 'same seed, same order');
  const moved = Array.from(a.keys()).filter((i) => a[i] !== shuffled[i]).length;
  // About 10% of positions take part; a few land on their own place again.
  assert.ok(moved > 0.08 * n && moved < 0.12 * n, `moved ${moved}`);
  // Still a permutation of the same priority values.
  assert.deepEqual([...shuffled].sort(), [...a].sort());
});

test('bad selections are rejected', () => {
  const scores = new Float32Array(3);
  const rng = createRng(1);
  assert.throws(
    () => computePriorities({ scores, selected: Int32Array.from([3]), shuffleProp: 0, rng }),
    /outside/,
  );
  assert.throws(
    () => computePriorities({ scores, selected: Int32Array.from([1, 1]), shuffleProp: 0, rng }),
    /twice/,
  );
  assert.throws(
    () => computePriorities({ scores, selected: new Int32Array(0), shuffleProp: 2, rng }),
    /shuffleProp/,
  );
});
