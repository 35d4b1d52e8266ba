/**
 * `npm start`: Postgres (DATABASE_URL or embedded under DATA_DIR), migrations, the MNIST demo
 * project on first start, the labelling server on PORT and (unless START_ORCHESTRATOR=false)
 * the orchestrator as a supervised child process. SIGTERM/SIGINT shut it down in order: stop the
 * orchestrator, close sockets (their leases are released), stop listening, close the pool.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADVISORY_LOCKS, withAdvisoryLock } from '@al/db';
import { createApp } from '../app/createApp';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../database';
import { seedDigitsDemo } from '../demo/seedDigits';
import { createLogger } from '../logger';
import { superviseOrchestrator, type OrchestratorProcess } from '../supervisor/orchestratorProcess';

const UI_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../labeller-ui/dist',
);

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const log = logger.child({ component: 'start' });
  const db = await openDatabase(config, logger, {
    applicationName: 'labeller-server',
    poolMax: 20,
  });
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    if (config.SEED_DEMO) {
      // Replicas starting together take turns: the first seeds, the others find the project.
      await withAdvisoryLock(db.knex, ADVISORY_LOCKS.demoSeed, () =>
        seedDigitsDemo({
          knex: db.knex,
          dataDir: config.DATA_DIR,
          count: config.DEMO_SAMPLES,
          logger,
        }),
      );
    }
    app = await createApp({
      knex: db.knex,
      databaseUrl: db.url,
      config,
      logger,
      uiDir: existsSync(path.join(UI_DIR, 'index.html')) ? UI_DIR : undefined,
    });
    const server = app.httpServer;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, resolve);
    });
  } catch (err) {
    await db.close(); // never leave an embedded cluster we started running behind us
    throw err;
  }
  const orchestrator: OrchestratorProcess | undefined = config.START_ORCHESTRATOR
    ? superviseOrchestrator({ databaseUrl: db.url, logLevel: config.LOG_LEVEL, logger })
    : undefined;
  const { port } = app.httpServer.address() as AddressInfo;
  log.info({ port, url: `http://localhost:${port}` }, 'labeller ready');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await orchestrator?.stop();
    await app.close();
    await new Promise<void>((resolve) => {
      app.httpServer.close(() => {
        resolve();
      });
    });
    await db.close();
    log.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err: unknown) => {
  // Config errors name the variable, never its value; anything else is unexpected.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
