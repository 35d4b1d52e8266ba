/**
 * `npm start`: Postgres (DATABASE_URL or embedded under DATA_DIR), migrations, the MNIST demo
 * project on first start, the labelling server on PORT and (unless START_ORCHESTRATOR=false)
 * the orchestrator as a supervised child process. SIGTERM/SIGINT shut it down in order: stop
 * listening and handing out, answer the requests in flight, stop the orchestrator, close the
 * sockets (their leases are released), close the pool, stop the embedded Postgres, exit 0.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADVISORY_LOCKS, withAdvisoryLock } from '@al/db';
import { createLogger, usePrettyLogs, type Logger } from '@al/media';
import { createApp, type App } from '../app/createApp';
import { ConfigError, loadConfig, type Config } from '../config';
import { openDatabase, type OpenDatabase } from '../database';
import { seedDigitsDemo } from '../demo/seedDigits';
import { RequestDrain } from '../socket/requestDrain';
import { superviseOrchestrator, type OrchestratorProcess } from '../supervisor/orchestratorProcess';
import { networkAddresses, startBanner } from './banner';

/** Longest a shutdown waits for requests in flight (a query stuck on a dead database). */
const DRAIN_TIMEOUT_MS = 10_000;

const UI_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../labeller-ui/dist',
);

interface Serving {
  app: App;
  drain: RequestDrain;
}

/** Seeds the demo (first start only), builds the app and listens on HOST:PORT. */
async function serve(config: Config, db: OpenDatabase, logger: Logger): Promise<Serving> {
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
  const app = await createApp({
    knex: db.knex,
    databaseUrl: db.url,
    config,
    logger,
    uiDir: existsSync(path.join(UI_DIR, 'index.html')) ? UI_DIR : undefined,
  });
  const drain = new RequestDrain(app.io); // before listening: every socket is counted
  const server = app.httpServer;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigError(
              `port ${config.PORT} on ${config.HOST} is already in use: stop what holds it or set PORT`,
            )
          : err,
      );
    });
    server.listen(config.PORT, config.HOST, resolve);
  });
  return { app, drain };
}

/**
 * Stops in order: no new connections; labellers already here get their labels acked but no new
 * hand-outs (those are answered UNAVAILABLE, and the client asks again wherever it reconnects);
 * then the orchestrator, the sockets (releasing their leases) and the database.
 */
async function shutDown(
  { app, drain }: Serving,
  orchestrator: OrchestratorProcess | undefined,
  db: OpenDatabase,
  log: Logger,
): Promise<void> {
  const httpClosed = new Promise<void>((resolve) => {
    app.httpServer.close(() => {
      resolve();
    });
  });
  const { leftInFlight } = await drain.drain(DRAIN_TIMEOUT_MS);
  log.info({ leftInFlight }, 'in-flight requests answered');
  await orchestrator?.stop();
  // Disconnects every socket and releases the leases they held before it resolves.
  await app.close();
  await httpClosed;
  await db.close();
  log.info('stopped');
}

/**
 * SIGTERM and SIGINT, listened for from the start. Before the server is up there is nothing
 * to drain: the process exits at once, and an embedded cluster it started (in a process group
 * of its own, out of the terminal's reach) gets its fast-shutdown signal on the way out from
 * startPostmaster's exit hook. Once `up` is set, the first signal runs it. `on`, not `once`: a
 * second Ctrl-C (or a wrapper relaying the terminal's) must not find the default handler,
 * which would kill the process mid-shutdown.
 */
function onStopSignal(log: Logger): {
  up: (shutDown: () => Promise<void>) => void;
  /** Runs (synchronously) if a signal comes before `up`. */
  beforeUp: (abandon: () => void) => void;
} {
  let shutDownWhenUp: (() => Promise<void>) | undefined;
  let abandonStartUp: (() => void) | undefined;
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      if (shutDownWhenUp === undefined) {
        log.info('stopped during start-up');
        abandonStartUp?.();
        process.exit(0);
      }
      shutDownWhenUp().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  return {
    up: (shutDown) => {
      shutDownWhenUp = shutDown;
    },
    beforeUp: (abandon) => {
      abandonStartUp = abandon;
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, {
    pretty: usePrettyLogs(config.LOG_FORMAT, process.stdout),
  });
  const log = logger.child({ component: 'start' });
  const stopSignal = onStopSignal(log);
  const db = await openDatabase(config, logger, {
    applicationName: 'labeller-server',
    poolMax: 20,
    embeddedOwnProcessGroup: true,
  });
  // Started before serving: its seconds of loading TensorFlow.js overlap the demo seed and the
  // app's start, so a project imported before this start gets its first order sooner.
  const orchestrator: OrchestratorProcess | undefined = config.START_ORCHESTRATOR
    ? superviseOrchestrator({ databaseUrl: db.url, logLevel: config.LOG_LEVEL, logger })
    : undefined;
  if (orchestrator) stopSignal.beforeUp(orchestrator.stopNow);
  let serving: Serving;
  try {
    serving = await serve(config, db, logger);
  } catch (err) {
    await orchestrator?.stop();
    await db.close(); // never leave an embedded cluster we started running behind us
    throw err;
  }
  stopSignal.up(() => shutDown(serving, orchestrator, db, log));
  greet(config, serving, orchestrator !== undefined, log);
}

/** The "ready" log line, and for a person at a terminal the banner with the URLs. */
function greet(config: Config, { app }: Serving, orchestrator: boolean, log: Logger): void {
  const { port } = app.httpServer.address() as AddressInfo;
  log.info({ port, url: `http://localhost:${port}` }, 'labeller ready');
  // Piped output (containers, tests) keeps to JSON log lines.
  if (process.stdout.isTTY) {
    const banner = startBanner({
      host: config.HOST,
      port,
      networkAddresses: networkAddresses(),
      generatedAdminToken: config.ADMIN_TOKEN === undefined ? app.adminToken : undefined,
      orchestrator,
    });
    process.stdout.write(banner);
  }
}

main().catch((err: unknown) => {
  // Config errors name the variable, never its value; anything else is unexpected.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
