import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pacer } from './pacer';

const settings = { busyShare: 0.25, sliceMs: 40 };

/** A pacer on a fake clock: `work(ms)` advances it, pauses advance it by what was waited. */
function fakePacer(labellers: { busy: boolean }, s = settings) {
  let now = 1_000;
  const waits: number[] = [];
  const pacer = new Pacer(
    () => labellers.busy,
    s,
    () => now,
    (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  );
  return {
    pacer,
    waits,
    async work(ms: number, pace = pacer.pace) {
      now += ms;
      await pace();
    },
  };
}

test('labellers quiet: the trainer never pauses', async () => {
  const f = fakePacer({ busy: false });
  for (let i = 0; i < 100; i++) await f.work(10);
  assert.deepEqual(f.waits, []);
  assert.equal(f.pacer.pausedMs, 0);
});

test('labellers busy: after each slice of work, a pause that leaves the trainer its share', async () => {
  const f = fakePacer({ busy: true });
  for (let i = 0; i < 12; i++) await f.work(10);
  // 10, 20, 30 ms: under the slice; at 40 ms of work, 40 × 0.75 / 0.25 = 120 ms of pause.
  assert.deepEqual(f.waits, [120, 120, 120]);
  assert.equal(f.pacer.pausedMs, 360);
});

test('work done while labellers were quiet does not count toward the first busy slice', async () => {
  const labellers = { busy: false };
  const f = fakePacer(labellers);
  await f.work(500);
  labellers.busy = true;
  await f.work(10);
  assert.deepEqual(f.waits, []);
  await f.work(30);
  assert.deepEqual(f.waits, [120]);
});

test('a long unit of work is paid for in proportion when it ends', async () => {
  const f = fakePacer({ busy: true });
  await f.work(100);
  assert.deepEqual(f.waits, [300]);
});

test('share 1 turns pacing off however busy labellers are', async () => {
  const f = fakePacer({ busy: true }, { ...settings, busyShare: 1 });
  for (let i = 0; i < 20; i++) await f.work(50);
  assert.deepEqual(f.waits, []);
});

test('a pace shared by two threads leaves each half the share', async () => {
  const f = fakePacer({ busy: true });
  const shared = f.pacer.sharedBy(2);
  for (let i = 0; i < 8; i++) await f.work(10, shared);
  // Each at 0.125: at 40 ms of work, 40 × 0.875 / 0.125 = 280 ms of pause.
  assert.deepEqual(f.waits, [280, 280]);
  assert.equal(f.pacer.pausedMs, 560);
});
