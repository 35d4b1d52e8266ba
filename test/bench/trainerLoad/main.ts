/**
 * npm run bench:trainer-load [-- --seconds 60 --warmup 10 --no-nice …] (see args.ts)
 *
 * Issue 15, "labellers never feel the trainer": what 200 flat-out socket.io labellers see
 * (sample:next p50/p95/p99/max, label acks, labels/s) on a busy project, first with the
 * orchestrator idle, then while it retrains a 10k-image digits project back to back on the
 * same cores. One embedded Postgres, a fresh database; the system started as a user starts it.
 * Prints figures; nothing is asserted.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { createDb, migrateLatest } from '@al/db';
import { createBenchDatabase } from '@al/db/bench';
import { startTestCluster } from '@al/db/testing';
import { parseBenchArgs, type BenchArgs } from './args';
import {
  DIGITS_PROJECT,
  importDigits,
  quietDigitsProject,
  seedBusyProject,
  writeDigitsFolder,
} from './fixtures';
import { runPhase } from './phase';
import { preLabelDigits } from './preLabel';
import { killAllChildren } from './processes';
import { describeNiceness, postmasterPid, schedulingGroup } from './procStats';
import { describeRetrains, printPhase, printSummary } from './report';
import { startBackToBackRetrains } from './retrainLoop';
import { startSystem, type RunningSystem } from './system';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SETUP_LIMIT_MS = 40 * 60_000;
const teardown: (() => Promise<unknown>)[] = [];
const t0 = performance.now();
const elapsed = () => `${Math.round((performance.now() - t0) / 1000)} s`;
const step = (what: string) => {
  console.log(`[${elapsed()}] ${what}`);
};

async function runTeardown(): Promise<void> {
  while (teardown.length > 0) {
    try {
      await teardown.pop()?.();
    } catch (err) {
      console.error('teardown step failed:', err);
    }
  }
}

/** Retrain jobs queued or running (`active`), or started since a moment. */
async function countJobs(knex: Knex, where: { active?: true; startedSince?: Date }) {
  let q = knex('retrain_jobs');
  if (where.active) q = q.whereIn('status', ['queued', 'running']);
  if (where.startedSince) q = q.where('started_at', '>=', where.startedSince);
  const rows = await q.count<{ count: string }[]>('* as count');
  return Number(rows[0]?.count ?? 0);
}

/** The project's retrain jobs so far: id, reason, status and how long each ran. */
async function describeJobs(knex: Knex, projectId: number): Promise<string> {
  const jobs = await knex('retrain_jobs')
    .where({ project_id: projectId })
    .orderBy('id')
    .select<{ id: number; reason: string; status: string; seconds: number | null }[]>(
      'id',
      'reason',
      'status',
      knex.raw('extract(epoch FROM finished_at - started_at)::float8 AS seconds'),
    );
  return jobs
    .map(
      (j) =>
        `#${j.id} ${j.reason} ${j.status}${j.seconds === null ? '' : ` ${j.seconds.toFixed(1)} s`}`,
    )
    .join(', ');
}

/** With --busy-cold-start: waits for the busy project's first ordering and says what it cost. */
async function watchBusyColdStart(knex: Knex, system: RunningSystem, projectId: number) {
  step('waiting for the orchestrator to order the busy project (its image files do not exist)…');
  const deadline = performance.now() + SETUP_LIMIT_MS;
  for (;;) {
    const job = await knex('retrain_jobs')
      .where({ project_id: projectId })
      .whereIn('status', ['done', 'failed'])
      .first<
        { status: string; started_at: Date; finished_at: Date; error: string | null } | undefined
      >();
    if (job) {
      const seconds = (job.finished_at.getTime() - job.started_at.getTime()) / 1000;
      const warned = system.problems().get('could not decode a sample for features') ?? 0;
      step(
        `busy project's cold start: ${job.status} after ${seconds.toFixed(1)} s, ${warned} "could not decode" warnings${job.error ? `, error: ${job.error}` : ''}`,
      );
      return;
    }
    system.assertAlive();
    if (performance.now() > deadline) throw new Error('the busy project was never ordered');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function setUp(args: BenchArgs) {
  step('starting an embedded PostgreSQL cluster…');
  const cluster = await startTestCluster();
  teardown.push(() => cluster.stop());
  const db = await createBenchDatabase(cluster.adminUrl, 'trainer_load');
  teardown.push(() => db.drop());
  const knex = createDb({ connectionString: db.url, poolMax: 2, applicationName: 'bench' });
  teardown.push(() => knex.destroy());
  await migrateLatest(knex);
  step(`seeding the busy project with ${args.busySamples} synthetic samples…`);
  const busyId = await seedBusyProject(knex, args.busySamples, args.busyColdStart);
  step(`writing ${args.digits} MNIST digits…`);
  const folder = await writeDigitsFolder(args.digits);
  teardown.push(() => rm(path.dirname(folder), { recursive: true, force: true }));
  step('importing them with the import CLI…');
  const summary = await importDigits({ repoRoot, databaseUrl: db.url, folder });
  step(`import: ${summary}`);
  const digitsId = await quietDigitsProject(knex);
  step(`starting the server (orchestrator: ${args.orchestrator})…`);
  const system = await startSystem({
    repoRoot,
    databaseUrl: db.url,
    dataDir: path.dirname(folder),
    mode: args.orchestrator,
  });
  teardown.push(() => system.stop());
  step(`serving on ${system.url}; orchestrator pid ${system.orchestratorPid}`);
  if (args.busyColdStart) await watchBusyColdStart(knex, system, busyId);
  const deadline = performance.now() + SETUP_LIMIT_MS;
  const labelled = await preLabelDigits({
    url: system.url,
    knex,
    project: DIGITS_PROJECT,
    count: args.prelabels,
    deadline,
    onProgress: (n) => {
      step(`  pre-labelled ${n} digits`);
    },
  });
  step(`${labelled} digits labelled (true labels); asking for the first model…`);
  const first = await system.api.waitForJob(
    DIGITS_PROJECT,
    await system.api.retrain(DIGITS_PROJECT),
    deadline,
  );
  const models = await system.api.models(DIGITS_PROJECT);
  const model = models.find((m) => m.version === first.modelVersion);
  if (first.status !== 'done' || !model) {
    throw new Error(`the first retrain did not produce a model: ${first.status} ${first.error}`);
  }
  step(
    `first model v${model.version} on ${model.trainedOn} labels (backend ${model.backend}): ${JSON.stringify(model.metrics.durationsMs)} ms`,
  );
  step(`digits jobs so far: ${await describeJobs(knex, digitsId)}`);
  return { cluster, knex, system, backend: model.backend };
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  // Bounded: set-up, then two phases with their warm-ups and a couple of minutes each to spare.
  const limit = setTimeout(
    () => {
      console.error('bench:trainer-load ran past its time limit; stopping');
      void runTeardown().finally(() => process.exit(1));
    },
    SETUP_LIMIT_MS + 2 * (args.warmup + args.seconds + 180) * 1000,
  );
  limit.unref();
  const { cluster, knex, system, backend } = await setUp(args);
  const postmaster = postmasterPid(cluster.dataDir);
  if ((await countJobs(knex, { active: true })) > 0)
    throw new Error('a retrain job is still queued or running');

  const alone = await runPhase({ name: 'labellers alone', repoRoot, system, postmaster, args });
  const startedInside = await countJobs(knex, { startedSince: new Date(alone.windowFrom) });
  if (startedInside > 0 || (await countJobs(knex, { active: true })) > 0) {
    console.log(`   WARNING: ${startedInside} retrain job(s) started during this phase`);
  }
  printPhase(alone);

  step('asking for retrains of the digits project back to back…');
  const retrains = startBackToBackRetrains(system.api, DIGITS_PROJECT, (job) => {
    step(`  retrain job ${job.jobId} ${job.status} (model v${job.modelVersion ?? '-'})`);
  });
  const busy = await runPhase({ name: 'trainer busy', repoRoot, system, postmaster, args });
  // Read while the trainer runs, when its worker threads exist.
  const orchestratorGroup = schedulingGroup(system.orchestratorPid);
  const sameGroup = orchestratorGroup === schedulingGroup(system.server.pid ?? -1);
  const niceness = `${describeNiceness(system.orchestratorPid)}, ${orchestratorGroup}${sameGroup ? ' (the server’s)' : ' (NOT the server’s)'}`;
  step('window closed; waiting (up to 10 min) for the retrain in flight to finish…');
  const jobs = await retrains.stop(10 * 60_000);
  printPhase(busy);
  const retrainLines = describeRetrains(busy, jobs, await system.api.models(DIGITS_PROJECT));
  printSummary({
    mode: args.orchestrator,
    niceness,
    backend,
    alone,
    busy,
    retrainLines,
    problems: system.problems(),
  });
}

process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping…`);
    void runTeardown().finally(() => process.exit(130));
  });
}
main().then(runTeardown, async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  await runTeardown();
  process.exitCode = 1;
});
