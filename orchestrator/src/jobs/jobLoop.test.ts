import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { nextSample, releaseLeases, requestRetrain, type DbRetrainJobRow } from '@al/db';
import type { RetrainOutcome } from '../training/retrainProject';
import {
  createDigitsFixture,
  labelFromQueue,
  priorityMap,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { JobLoop, type JobLoopOptions } from './jobLoop';

let f: DigitsFixture;

before(async () => {
  f = await createDigitsFixture(150);
  await labelFromQueue(f, 60);
});

after(async () => {
  await f.destroy();
});

function loop(instanceId: string, extra: Partial<JobLoopOptions> = {}): JobLoop {
  return new JobLoop({
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    instanceId,
    triggers: false,
    epochs: 3,
    ...extra,
  });
}

const jobs = () =>
  f.db.knex<DbRetrainJobRow>('retrain_jobs').where({ project_id: f.project.id }).orderBy('id');

test('two orchestrators and admin requests: one training of the project at a time', async () => {
  for (let i = 0; i < 3; i++) {
    await requestRetrain({
      tx: f.db.knex,
      projectId: f.project.id,
      reason: 'admin',
      requestedBy: 't',
    });
  }
  let maxRunning = 0;
  const state = { sampling: true };
  const sampler = (async () => {
    while (state.sampling) {
      const [row] = await f.db
        .knex('retrain_jobs')
        .where({ project_id: f.project.id, status: 'running' })
        .count<{ count: string | number }[]>('* as count');
      maxRunning = Math.max(maxRunning, Number(row?.count ?? 0));
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const a = loop('orch-a');
  const b = loop('orch-b');
  await Promise.all([a.round(), b.round(), b.round()]);
  state.sampling = false;
  await sampler;
  assert.equal(maxRunning, 1, 'never two running jobs of one project');
  const rows = await jobs();
  assert.ok(
    rows.every((j) => j.status === 'done'),
    JSON.stringify(rows.map((j) => j.status)),
  );
  const trained = rows.filter((j) => j.started_at !== null);
  const models = await f.db.knex('models').where({ project_id: f.project.id });
  assert.equal(models.length, trained.length, 'one model per training');
  // Trainings that ran must not overlap in time.
  const spans = trained
    .map((j) => [j.started_at?.getTime() ?? 0, j.finished_at?.getTime() ?? 0] as const)
    .sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) {
    assert.ok((spans[i]?.[0] ?? 0) >= (spans[i - 1]?.[1] ?? 0), 'trainings overlap');
  }
});

test('a job failing inside its write is recorded failed with its error; priorities intact', async () => {
  const beforeMap = await priorityMap(f);
  const modelsBefore = (await f.db.knex('models').where({ project_id: f.project.id })).length;
  const { jobId } = await requestRetrain({
    tx: f.db.knex,
    projectId: f.project.id,
    reason: 'admin',
    requestedBy: 't',
  });
  await loop('orch-c', {
    beforeWrite: () => Promise.reject(new Error('injected crash during the priority write')),
  }).round();
  const job = (await jobs()).find((j) => j.id === jobId);
  assert.equal(job?.status, 'failed');
  assert.match(job.error ?? '', /injected crash/);
  assert.deepEqual(await priorityMap(f), beforeMap);
  const modelsAfter = (await f.db.knex('models').where({ project_id: f.project.id })).length;
  assert.equal(modelsAfter, modelsBefore);
});

test('a job left running by a dead orchestrator is recovered and run again', async () => {
  const [dead] = await f.db
    .knex<DbRetrainJobRow>('retrain_jobs')
    .insert({
      project_id: f.project.id,
      reason: 'admin',
      status: 'running',
      locked_by: 'dead-orchestrator',
      started_at: f.db.knex.raw("now() - interval '10 minutes'"),
      heartbeat_at: f.db.knex.raw("now() - interval '10 minutes'"),
    } as never)
    .returning('*');
  assert.ok(dead);
  // A fresh running job of another orchestrator blocks claims of the project meanwhile.
  await loop('orch-d', { staleAfterSeconds: 60 }).round();
  const rows = await jobs();
  const old = rows.find((j) => j.id === dead.id);
  assert.equal(old?.status, 'failed');
  assert.match(old.error ?? '', /recovered: no heartbeat from dead-orchestrator/);
  const again = rows.find((j) => j.reason === 'recovered' && j.id > dead.id);
  assert.equal(again?.status, 'done');
  assert.equal(again.locked_by, 'orch-d');
});

test('triggers enqueue after enough new labels, once', async () => {
  await f.db
    .knex('projects')
    .where({ id: f.project.id })
    .update({
      acquisition: JSON.stringify({ retrain_every_labels: 5, min_labels_for_model: 5 }),
    });
  await labelFromQueue(f, 6);
  const l = loop('orch-e', { triggers: true });
  const before = (await jobs()).length;
  await l.round();
  const rows = await jobs();
  const created = rows.slice(before);
  assert.equal(created.length, 1, 'one job for the new labels');
  assert.equal(created[0]?.reason, 'labels');
  assert.equal(created[0].status, 'done');
  await l.round();
  assert.equal((await jobs()).length, rows.length, 'no new labels: nothing enqueued');
});

test('labels that come while a job runs start the next one as it ends, not at the next poll', async () => {
  await labelFromQueue(f, 6);
  let labelledMeanwhile = false;
  const l = loop('orch-e2', {
    triggers: true,
    beforeWrite: async () => {
      if (labelledMeanwhile) return;
      labelledMeanwhile = true;
      await labelFromQueue(f, 6);
    },
  });
  const before = (await jobs()).length;
  await l.round();
  const created = (await jobs()).slice(before);
  assert.deepEqual(
    created.map((j) => [j.reason, j.status]),
    [
      ['labels', 'done'],
      ['labels', 'done'],
    ],
    'one round: the job for the first labels, then one for those given during it',
  );
});

test('stopping mid-write abandons the job: rolled back, recorded, requeued', async () => {
  const beforeMap = await priorityMap(f);
  const { jobId } = await requestRetrain({
    tx: f.db.knex,
    projectId: f.project.id,
    reason: 'admin',
    requestedBy: 't',
  });
  let stopped: Promise<void> | undefined;
  const l: JobLoop = loop('orch-f', {
    beforeWrite: async () => {
      stopped = l.stop(); // SIGTERM arrives while the write transaction is open
      await new Promise((r) => setTimeout(r, 50));
    },
  });
  await l.start();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (stopped) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
  await stopped;
  const rows = await jobs();
  const job = rows.find((j) => j.id === jobId);
  assert.equal(job?.status, 'failed');
  assert.match(job.error ?? '', /shutting down/);
  const requeued = rows.filter((j) => j.id > jobId && j.reason === 'recovered');
  assert.equal(requeued.length, 1);
  assert.equal(requeued[0]?.status, 'queued');
  assert.deepEqual(await priorityMap(f), beforeMap);
  await f.db.knex('retrain_jobs').where({ id: requeued[0].id }).delete();
});

test('a job whose orchestrator died a third time is failed with a clear error, not requeued', async () => {
  const before = await jobs();
  const [dead] = await f.db
    .knex<DbRetrainJobRow>('retrain_jobs')
    .insert({
      project_id: f.project.id,
      reason: 'recovered',
      status: 'running',
      locked_by: 'crashing-orchestrator',
      recoveries: 2,
      started_at: f.db.knex.raw("now() - interval '10 minutes'"),
      heartbeat_at: f.db.knex.raw("now() - interval '10 minutes'"),
    } as never)
    .returning('*');
  assert.ok(dead);
  await loop('orch-g', { staleAfterSeconds: 60, maxRecoveries: 3 }).round();
  const rows = await jobs();
  const old = rows.find((j) => j.id === dead.id);
  assert.equal(old?.status, 'failed');
  assert.match(old.error ?? '', /gave up: the orchestrator running this job died 3 times in a row/);
  assert.equal(rows.length, before.length + 1, 'nothing requeued');
});

test('phase boundaries renew the heartbeat even when the timer never fires', async () => {
  const { jobId } = await requestRetrain({
    tx: f.db.knex,
    projectId: f.project.id,
    reason: 'admin',
    requestedBy: 't',
  });
  let beatBeforeWrite: { started_at: Date; heartbeat_at: Date } | undefined;
  await loop('orch-h', {
    heartbeatMs: 3_600_000,
    beforeWrite: async () => {
      beatBeforeWrite = await f.db
        .knex('retrain_jobs')
        .where({ id: jobId })
        .first('started_at', 'heartbeat_at');
    },
  }).round();
  assert.ok(beatBeforeWrite);
  assert.ok(
    beatBeforeWrite.heartbeat_at.getTime() > beatBeforeWrite.started_at.getTime(),
    'the heartbeat moved after the claim, without the interval',
  );
  const job = (await jobs()).find((j) => j.id === jobId);
  assert.equal(job?.status, 'done');
});

/** Runs one retrain job with pacing on; `handingOut` keeps the hand-out log growing meanwhile. */
async function pacedRetrain(instanceId: string, handingOut: boolean) {
  await requestRetrain({
    tx: f.db.knex,
    projectId: f.project.id,
    reason: 'admin',
    requestedBy: 't',
  });
  const state = { running: true };
  const labeller = async () => {
    while (state.running) {
      const sample = await nextSample(f.db.knex, {
        projectId: f.project.id,
        labeller: 'busy-labeller',
        ttlSeconds: 60,
      });
      if (sample) {
        await releaseLeases({ tx: f.db.knex, labeller: 'busy-labeller', sampleIds: [sample.id] });
      }
    }
  };
  const handouts = handingOut ? labeller() : Promise.resolve();
  const outcomes: (RetrainOutcome | Error)[] = [];
  try {
    await loop(instanceId, {
      epochs: 40,
      pressurePollMs: 20,
      pacing: { busyAbovePerSecond: 5, busyAboveOthersCpu: 0, busyShare: 0.5, sliceMs: 5 },
      onJobFinished: (_job, outcome) => outcomes.push(outcome),
    }).round();
  } finally {
    state.running = false;
    await handouts;
  }
  const [outcome] = outcomes;
  if (outcome instanceof Error) throw outcome;
  assert.ok(outcome, 'the job finished');
  const model = await f.db
    .knex('models')
    .where({ project_id: f.project.id, version: outcome.version })
    .first<{ metrics: { pausedMs: number } } | undefined>('metrics');
  assert.ok(model, `model v${outcome.version} was written`);
  return { outcome, model };
}

test('a retrain pauses while labellers are handed samples fast, and its model says for how long', async () => {
  const { outcome, model } = await pacedRetrain('orch-i', true);
  assert.ok(outcome.pausedMs > 0, `paused ${outcome.pausedMs} ms`);
  assert.equal(model.metrics.pausedMs, outcome.pausedMs);
});

test('with no hand-outs, a paced orchestrator never pauses', async () => {
  const { outcome, model } = await pacedRetrain('orch-j', false);
  assert.equal(outcome.pausedMs, 0);
  assert.equal(model.metrics.pausedMs, 0);
});
