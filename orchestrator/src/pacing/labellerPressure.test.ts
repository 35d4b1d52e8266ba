import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { nextSample, releaseLeases } from '@al/db';
import { createDigitsFixture, silentLogger, type DigitsFixture } from '../testing/digitsFixture';
import { LabellerPressure } from './labellerPressure';

let f: DigitsFixture;

before(async () => {
  f = await createDigitsFixture(20);
});

after(async () => {
  await f.destroy();
});

async function handOut(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const sample = await nextSample(f.db.knex, {
      projectId: f.project.id,
      labeller: 'fast-labeller',
      ttlSeconds: 60,
    });
    assert.ok(sample, 'a sample to hand out');
    await releaseLeases({ tx: f.db.knex, labeller: 'fast-labeller', sampleIds: [sample.id] });
  }
}

async function busyWithin(pressure: LabellerPressure, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (!pressure.busy && performance.now() < until) await sleep(5);
  return pressure.busy;
}

test('a job that starts while labellers are being served knows it from its first reading', async () => {
  const pressure = new LabellerPressure({
    knex: f.db.knex,
    logger: silentLogger,
    // No second poll within the test: only the reading taken as a job starts counts.
    pollMs: 60_000,
    busyAbovePerSecond: 5,
    busyAboveOthersCpu: 0,
  });
  pressure.start();
  assert.equal(await busyWithin(pressure, 200), false, 'the very first reading has no rate');
  pressure.stop();

  // Between two jobs, labellers are handed samples fast.
  await handOut(20);
  pressure.start();
  try {
    assert.equal(await busyWithin(pressure, 1_000), true, 'busy as the next job starts');
  } finally {
    pressure.stop();
  }
  assert.equal(pressure.busy, false, 'a stopped reader says nothing is busy');
});
