import { connect } from 'node:net';
import path from 'node:path';
import { createDb, migrateLatest, startEmbeddedPostgres } from '@al/db';
import type { Config } from './config';
import { redactUrl, type Logger } from '@al/media';

/** Credentials of the embedded cluster; it only listens on 127.0.0.1. */
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';
const EMBEDDED_DATABASE = 'labeller';

export interface OpenDatabase {
  knex: ReturnType<typeof createDb>;
  url: string;
  /** True when this process started the embedded cluster (and so stops it on close). */
  startedEmbedded: boolean;
  close: () => Promise<void>;
}

function embeddedUrl(port: number): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

/**
 * Whether something listens on the embedded port: then another process of ours (say `npm start`
 * while `npm run import` runs) already runs the cluster, and a second start would fail on its lock.
 */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000);
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('timeout', () => {
      done(false);
    });
  });
}

export interface OpenDatabaseOptions {
  applicationName?: string;
  poolMax?: number;
  /**
   * An embedded cluster this process starts runs in a process group of its own: the
   * terminal's Ctrl-C reaches only this process, which stops the cluster in `close` once it has
   * drained. Only for a process that calls `close` on SIGINT and SIGTERM.
   */
  embeddedOwnProcessGroup?: boolean;
}

/**
 * Connects to DATABASE_URL, or else to the embedded cluster under DATA_DIR/pg (starting it when
 * no other process of ours already runs it), then applies pending migrations.
 */
export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_PG_PORT'>,
  logger: Logger,
  opts: OpenDatabaseOptions = {},
): Promise<OpenDatabase> {
  const log = logger.child({ component: 'database' });
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (url === undefined) {
    if (await portAnswers(config.EMBEDDED_PG_PORT)) {
      log.info(
        { port: config.EMBEDDED_PG_PORT },
        'using the embedded Postgres another process runs',
      );
      url = embeddedUrl(config.EMBEDDED_PG_PORT);
    } else {
      const dataDir = path.resolve(config.DATA_DIR, 'pg');
      log.info({ dataDir, port: config.EMBEDDED_PG_PORT }, 'starting embedded Postgres');
      const running = await startEmbeddedPostgres({
        dataDir,
        port: config.EMBEDDED_PG_PORT,
        user: EMBEDDED_USER,
        password: EMBEDDED_PASSWORD,
        database: EMBEDDED_DATABASE,
        ownProcessGroup: opts.embeddedOwnProcessGroup ?? false,
        onLog: (line) => {
          log.debug({ postgres: line }, 'postgres log');
        },
      });
      url = running.url;
      stopEmbedded = async () => {
        log.info('stopping embedded Postgres');
        await running.stop();
        log.info('embedded Postgres stopped');
      };
    }
  }
  const knex = createDb({
    connectionString: url,
    // migrateLatest holds its advisory lock on one connection while migrating on another.
    poolMax: opts.poolMax === undefined ? undefined : Math.max(2, opts.poolMax),
    applicationName: opts.applicationName,
    log: logger.child({ component: 'knex' }),
  });
  try {
    const applied = await migrateLatest(knex);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (err) {
    await knex.destroy();
    await stopEmbedded?.();
    throw err;
  }
  log.info({ url: redactUrl(url), startedEmbedded: stopEmbedded !== undefined }, 'database ready');
  return {
    knex,
    url,
    startedEmbedded: stopEmbedded !== undefined,
    close: async () => {
      await knex.destroy();
      await stopEmbedded?.();
    },
  };
}
