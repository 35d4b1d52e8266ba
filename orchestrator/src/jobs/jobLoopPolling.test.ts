import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  updateProjectAcquisition,
  wakeOrchestrators,
  type DbRetrainJobRow,
  type RetrainReason,
} from '@al/db';
import {
  createDigitsFixture,
  labelFromQueue,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { JobLoop } from './jobLoop';

let f: DigitsFixture;

before(async () => {
  f = await createDigitsFixture(120);
});

after(async () => {
  await f.destroy();
});

async function waitForJob(
  reason: RetrainReason,
  timeoutMs: number,
): Promise<DbRetrainJobRow | undefined> {
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    const job = await f.db
      .knex<DbRetrainJobRow>('retrain_jobs')
      .where({ project_id: f.project.id, reason, status: 'done' })
      .first();
    if (job) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

test('while a project is being labelled, its label trigger is seen within seconds, not at the next poll', async () => {
  await updateProjectAcquisition({
    tx: f.db.knex,
    projectId: f.project.id,
    acquisition: { retrain_every_labels: 10 },
  });
  const loop = new JobLoop({
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    databaseUrl: f.db.url,
    instanceId: 'orch-poll',
    pollIntervalMs: 120_000,
    epochs: 2,
  });
  await loop.start();
  try {
    assert.ok(await waitForJob('timer', 60_000), 'the never-ordered project got its first order');
    await labelFromQueue(f, 4);
    // The loop is asleep; the next round, a poll away, sees 4 labels that are not yet due.
    // Any later label trigger needs that round, so wake it the way an admin request would.
    await wakeOrchestrators({ tx: f.db.knex, projectId: f.project.id });
    await new Promise((r) => setTimeout(r, 500));
    await labelFromQueue(f, 6);
    const labelled = Date.now();
    const job = await waitForJob('labels', 30_000);
    assert.ok(job, 'a label-triggered retrain ran');
    const seenAfterMs = job.created_at.getTime() - labelled;
    assert.ok(seenAfterMs < 3_000, `the trigger was seen ${seenAfterMs} ms after the 10th label`);
  } finally {
    await loop.stop();
  }
});
