/**
 * The orchestrator SIGKILLed for real (a child `tsx orchestrator/src/cli/run.ts`), twice:
 * once mid-training and once while its priority-write transaction is open. Each time the
 * queue's priorities must be exactly the snapshot taken before the run and no model row may
 * appear; the job is recovered (stale heartbeat) and rerun by the next orchestrator, which
 * finishes it; and a labeller served through db nextSample/labelSample all along is never
 * told "nothing left" nor kept waiting long.
 * The pool is 22,000 samples with cached 28x28 features (MNIST digits, no image files), so
 * the write spans two chunks and lasts long enough to be caught from pg_stat_activity.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import {
  createProject,
  insertFeatures,
  insertSamples,
  labelSample,
  nextSample,
  type DbRetrainJobRow,
  type NewSample,
} from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { loadMnistArrays } from '../../orchestrator/bench/mnistArrays';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const POOL = 22_000;
const LABELLED = 400;

let db: TestDatabase;
let projectId: number;
const digitOfHash = new Map<string, string>();

before(async () => {
  db = await createTestDatabase({ poolMax: 6 });
  // Client gone → backend notices within 100 ms even mid-statement, as a server should.
  await db.knex.raw(`DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET client_connection_check_interval = %L',
                   current_database(), '100ms');
  END $$`);
  const digits = loadMnistArrays();
  const project = await createProject({
    tx: db.knex,
    project: {
      name: 'kill',
      options: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      // Only the never-ordered trigger fires: the test decides how many jobs there are.
      acquisition: { retrain_every_labels: 1_000_000, retrain_every_seconds: 1_000_000 },
    },
  });
  projectId = project.id;
  await db
    .knex('projects')
    .where({ id: projectId })
    .update({
      input_spec: JSON.stringify({ width: 28, height: 28, channels: 1 }),
    });
  for (let i = 0; i < POOL; i += 5_000) {
    const rows = Array.from({ length: Math.min(5_000, POOL - i) }, (_, k) => (i + k) % digits.n);
    const hashes = rows.map(() => randomUUID());
    rows.forEach((row, k) => digitOfHash.set(hashes[k] ?? '', String(digits.labels[row])));
    const samples: NewSample[] = rows.map((_, k) => ({
      sourceUri: `/nowhere/${String(i + k)}.png`,
      contentHash: hashes[k] ?? '',
      width: 28,
      height: 28,
      byteSize: 800,
      split: i + k >= 300 && i + k < LABELLED ? 'eval' : 'train',
    }));
    await insertSamples({ tx: db.knex, projectId, samples });
    await insertFeatures({
      tx: db.knex,
      spec: '28x28x1',
      features: rows.map((row, k) => ({
        contentHash: hashes[k] ?? '',
        data: Buffer.from(digits.pixels.subarray(row * 784, (row + 1) * 784)),
      })),
    });
  }
  // Fixture labels straight into the tables (the code under test is the orchestrator).
  const first = await db
    .knex('samples')
    .where({ project_id: projectId })
    .orderBy('id')
    .limit(LABELLED)
    .select<{ id: number; content_hash: string }[]>('id', 'content_hash');
  await db.knex('labels').insert(
    first.map((s) => ({
      project_id: projectId,
      sample_id: s.id,
      labeller: 'fixture',
      kind: 'label',
      value: JSON.stringify(digitOfHash.get(s.content_hash)),
    })),
  );
  await db
    .knex('samples')
    .whereIn(
      'id',
      first.map((s) => s.id),
    )
    .update({ status: 'done', label_count: 1 });
});

after(async () => {
  await db.destroy();
});

function startOrchestrator(id: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'orchestrator/src/cli/run.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      TF_BACKEND: 'wasm',
      LOG_LEVEL: 'debug',
      ORCHESTRATOR_ID: id,
      ORCHESTRATOR_HEARTBEAT_MS: '300',
      ORCHESTRATOR_STALE_AFTER_SECONDS: '3',
      ORCHESTRATOR_POLL_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => {
    child.on('exit', (_code, signal) => {
      resolve(signal);
    });
  });
  return { child, exited, output: () => output };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms: number) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const priorities = async () =>
  new Map(
    (
      await db
        .knex('samples')
        .where({ project_id: projectId })
        .select<{ id: number; priority: number }[]>('id', 'priority')
    ).map((r) => [r.id, r.priority]),
  );
const jobs = () =>
  db.knex<DbRetrainJobRow>('retrain_jobs').where({ project_id: projectId }).orderBy('id');
const modelCount = async () => (await db.knex('models').where({ project_id: projectId })).length;

/**
 * A labeller answering truly until stopped, at a brisk human pace (25 ms between labels): flat
 * out it labelled the whole 22,000-sample pool while three orchestrators trained, leaving no
 * open sample to judge the rewrite by.
 */
function runLabeller() {
  const stats = { handedOut: 0, nothingLeft: 0, slowestMs: 0 };
  const state = { running: true };
  const done = (async () => {
    while (state.running) {
      const t = performance.now();
      const sample = await nextSample(db.knex, { projectId, labeller: 'live', ttlSeconds: 60 });
      stats.slowestMs = Math.max(stats.slowestMs, performance.now() - t);
      if (!sample) {
        stats.nothingLeft++;
        continue;
      }
      stats.handedOut++;
      const value = digitOfHash.get(sample.content_hash) ?? '0';
      await labelSample(db.knex, { projectId, sampleId: sample.id, labeller: 'live', value });
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    stats,
    stop: async () => {
      state.running = false;
      await done;
    },
  };
}

test('SIGKILL mid-training and mid-write: priorities untouched, job recovered and finished, hand-out never stops', async (t) => {
  const snapshot = await priorities();
  const labeller = runLabeller();
  try {
    // 1. Killed while training (the phase after loading labels).
    const a = startOrchestrator('orch-a');
    await waitFor('training to start', () => a.output().includes('"phase":"loadLabels"'), 90_000);
    await new Promise((r) => setTimeout(r, 200));
    a.child.kill('SIGKILL');
    assert.equal(await a.exited, 'SIGKILL');
    const [first] = await jobs();
    assert.equal(first?.status, 'running', 'the dead orchestrator left its job running');
    assert.equal(first.locked_by, 'orch-a');
    assert.deepEqual(await priorities(), snapshot, 'mid-training kill: priorities as before');
    assert.equal(await modelCount(), 0);

    // 2. The next orchestrator recovers it, and is killed inside its priority write.
    const b = startOrchestrator('orch-b');
    let writerPid: number | undefined;
    await waitFor(
      'the priority write',
      async () => {
        const rows = await db.knex.raw<{ rows: { pid: number }[] }>(
          `SELECT pid FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'orchestrator'
             AND state = 'active' AND query LIKE 'WITH u AS%'`,
        );
        writerPid = rows.rows[0]?.pid;
        return writerPid !== undefined;
      },
      120_000,
    );
    b.child.kill('SIGKILL');
    assert.equal(await b.exited, 'SIGKILL');
    assert.match(b.output(), /requeued stale retrain jobs/);
    await waitFor(
      'the killed writer to roll back',
      async () =>
        (
          await db.knex.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_stat_activity WHERE pid = ?', [
            writerPid ?? 0,
          ])
        ).rows.length === 0,
      30_000,
    );
    assert.deepEqual(await priorities(), snapshot, 'mid-write kill: priorities as before');
    assert.equal(await modelCount(), 0, 'the model row rolled back with the write');

    // 3. A third orchestrator recovers the job again and finishes it.
    const c = startOrchestrator('orch-c');
    await waitFor(
      'the recovered job to finish',
      async () => (await jobs()).some((j) => j.status === 'done'),
      120_000,
    );
    c.child.kill('SIGTERM');
    await c.exited;
    const rows = await jobs();
    assert.deepEqual(
      rows.map((j) => [j.status, j.reason, j.recoveries, j.locked_by]),
      [
        ['failed', 'timer', 0, 'orch-a'],
        ['failed', 'recovered', 1, 'orch-b'],
        ['done', 'recovered', 2, 'orch-c'],
      ],
    );
    assert.match(rows[0]?.error ?? '', /recovered: no heartbeat from orch-a/);
    assert.equal(await modelCount(), 1);
    // Only open samples are rewritten (one labelled meanwhile stays done), and the live labeller
    // labels thousands of them on a fast machine: judge the rewrite against what is still open.
    const after = await priorities();
    const open = await db
      .knex('samples')
      .where({ project_id: projectId, status: 'open' })
      .pluck<number[]>('id');
    assert.ok(open.length > 1_000, `enough samples still open to judge (${String(open.length)})`);
    let changed = 0;
    for (const id of open) if (snapshot.get(id) !== after.get(id)) changed++;
    assert.ok(
      changed > open.length / 2,
      `the finished job rewrote the queue (${String(changed)} of ${String(open.length)} open changed)`,
    );
  } finally {
    await labeller.stop();
  }
  const { stats } = labeller;
  assert.equal(stats.nothingLeft, 0, 'the labeller was never told nothing is left');
  assert.ok(stats.handedOut > 20, `samples kept coming (${String(stats.handedOut)})`);
  assert.ok(stats.slowestMs < 3_000, `slowest hand-out ${stats.slowestMs.toFixed(0)} ms`);
  t.diagnostic(
    `orchestrator kill: ${String(stats.handedOut)} hand-outs meanwhile, slowest ${stats.slowestMs.toFixed(0)} ms`,
  );
});
