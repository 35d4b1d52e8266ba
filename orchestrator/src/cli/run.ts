/**
 * The orchestrator process: `npm run orchestrator` (and spawned by `npm start`).
 * Environment (validated once, in ./config.ts):
 *   DATABASE_URL    required: the Postgres the server uses
 *   TF_BACKEND      optional: tensorflow-gpu | tensorflow | wasm | cpu (else the fastest that loads)
 *   LOG_LEVEL       optional: pino level, default info; LOG_FORMAT auto | json | pretty
 *   S3_FORCE_PATH_STYLE optional: true for S3-compatible stores (the AWS SDK reads the rest)
 *   ORCHESTRATOR_ID optional: this instance's name in retrain_jobs.locked_by (default host:pid)
 *   ORCHESTRATOR_HEARTBEAT_MS, ORCHESTRATOR_STALE_AFTER_SECONDS, ORCHESTRATOR_POLL_MS
 *                   optional: job heartbeat period (5000), when a silent running job counts as
 *                   abandoned (60), polling period besides NOTIFY wake-ups (5000)
 * SIGTERM / SIGINT: the current job is abandoned (its one write transaction rolls back, so
 * priorities stay as they were), recorded as failed and requeued; then the process exits 0.
 */
import { createDb, migrateLatest } from '@al/db';
import { createLogger, usePrettyLogs } from '@al/media';
import { chooseBackend } from '../backend/chooseBackend';
import { JobLoop } from '../jobs/jobLoop';
import { PACING_SLICE_MS } from '../pacing/pacer';
import { loadRunConfig } from './config';

async function main(): Promise<number> {
  const parsed = loadRunConfig();
  if ('error' in parsed) {
    console.error(`orchestrator: invalid environment:\n${parsed.error}`);
    return 2;
  }
  const env = parsed.config;
  const logger = createLogger(env.LOG_LEVEL, {
    pretty: usePrettyLogs(env.LOG_FORMAT, process.stdout),
  }).child({ component: 'orchestrator' });
  const backend = await chooseBackend({ env: { TF_BACKEND: env.TF_BACKEND }, logger });
  const knex = createDb({
    connectionString: env.DATABASE_URL,
    poolMax: 4,
    applicationName: 'orchestrator',
  });
  await migrateLatest(knex);
  const loop = new JobLoop({
    knex,
    databaseUrl: env.DATABASE_URL,
    backend,
    logger,
    s3: { forcePathStyle: env.S3_FORCE_PATH_STYLE },
    instanceId: env.ORCHESTRATOR_ID,
    heartbeatMs: env.ORCHESTRATOR_HEARTBEAT_MS,
    staleAfterSeconds: env.ORCHESTRATOR_STALE_AFTER_SECONDS,
    pollIntervalMs: env.ORCHESTRATOR_POLL_MS,
    pacing: {
      busyAbovePerSecond: env.ORCHESTRATOR_BUSY_HANDOUTS_PER_S,
      busyAboveOthersCpu: env.ORCHESTRATOR_BUSY_OTHERS_CPU,
      busyShare: env.ORCHESTRATOR_BUSY_SHARE,
      sliceMs: PACING_SLICE_MS,
    },
  });
  await loop.start();
  logger.info({ instanceId: env.ORCHESTRATOR_ID, backend: backend.name }, 'orchestrator running');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info({ signal }, 'orchestrator stopping');
  await loop.stop();
  await knex.destroy();
  logger.info('orchestrator stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('orchestrator failed:', err);
    process.exitCode = 1;
  },
);
