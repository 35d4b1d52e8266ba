import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interleaveHeldOut } from './heldOutInterleave';

function handOutOrder(priorities: Float64Array): number[] {
  return [...priorities.keys()].sort((a, b) => (priorities[b] ?? 0) - (priorities[a] ?? 0));
}

test('held-out rows take a steady share of every prefix; training rows keep their order', () => {
  const n = 1000;
  const ids = Array.from({ length: n }, (_, i) => 5000 + i);
  const heldOut = Uint8Array.from(ids, (_, i) => (i % 10 === 3 ? 1 : 0));
  // Acquisition would put the held-out rows first: the interleave must ignore that.
  const priorities = Float64Array.from(ids, (_, i) => (heldOut[i] ? 2 : 1) - i / n);
  const merged = interleaveHeldOut({ ids, heldOut, priorities, share: 0.1 });
  assert.equal(new Set(merged).size, n, 'one place per row');
  const order = handOutOrder(merged);
  for (const prefix of [10, 50, 100, 400, 1000]) {
    const held = order.slice(0, prefix).filter((i) => heldOut[i]).length;
    assert.ok(Math.abs(held - prefix * 0.1) <= 1, `${held} held-out rows in the first ${prefix}`);
  }
  const trainOrder = order.filter((i) => !heldOut[i]);
  assert.deepEqual(
    trainOrder,
    [...trainOrder].sort((a, b) => a - b),
    'training rows in acquisition order',
  );
  // The held-out order is random (not by id or position) and the same on every call.
  const heldOrder = order.filter((i) => heldOut[i]);
  assert.notDeepEqual(
    heldOrder,
    [...heldOrder].sort((a, b) => a - b),
  );
  const again = handOutOrder(interleaveHeldOut({ ids, heldOut, priorities, share: 0.1 }));
  assert.deepEqual(again, order);
});

test('with nothing held out the acquisition order is kept as is', () => {
  const ids = [1, 2, 3, 4];
  const priorities = Float64Array.from([0.1, 0.9, 0.5, 0.7]);
  const merged = interleaveHeldOut({ ids, heldOut: new Uint8Array(4), priorities, share: 0 });
  assert.deepEqual(handOutOrder(merged), [1, 3, 2, 0]);
});
