import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// bigint ids (int8) and counts come back as strings by default; ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Tx = Knex | Knex.Transaction;

export interface CreateDbOptions {
  connectionString: string;
  poolMax?: number;
  applicationName?: string;
  /**
   * Where knex's own warnings go (a failed connect during a Postgres restart, a deprecation);
   * without it knex writes them to stderr as plain text, outside the JSON logs.
   */
  log?: KnexLog;
}

/** The part of a logger knex calls; pino's child loggers have this shape. */
export interface KnexLog {
  warn: (message: string) => void;
  error: (message: string) => void;
  debug: (message: string) => void;
}

export function createDb(opts: CreateDbOptions): Knex {
  const log = opts.log;
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: opts.connectionString,
      application_name: opts.applicationName ?? 'labeller',
      // A host that does not answer at all (not a refused port) fails a connect in 5 s instead
      // of hanging it until the acquire timeout; keep-alive finds connections that died silently.
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    },
    // min 0: after a Postgres restart nothing is kept open to fail; knex drops connections that
    // errored or ended (they are "disposed") when they come back, and each acquire opens a new
    // one. A failed connect rejects the waiting acquire at once (tarn's propagateCreateError),
    // so while the database is down requests fail fast as UNAVAILABLE rather than queueing.
    pool: { min: 0, max: opts.poolMax ?? 10 },
    acquireConnectionTimeout: 30_000,
    ...(log && {
      log: {
        warn: (m: string) => {
          log.warn(m);
        },
        error: (m: string) => {
          log.error(m);
        },
        deprecate: (m: string) => {
          log.warn(m);
        },
        debug: (m: string) => {
          log.debug(m);
        },
      },
    }),
  });
}

/** Socket errors of a connection that is refused, cut or never answered. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/**
 * SQLSTATEs meaning "not now" rather than "wrong": 57P01 admin_shutdown (a fast stop ended our
 * session), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down),
 * 53300 too_many_connections; class 08 is connection_exception.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/**
 * node-postgres reports a dropped connection with these messages and no code (knex puts the
 * SQL text and " - " in front).
 */
const DROPPED_CONNECTION_MESSAGE =
  /(^|- )(Connection terminated|Client has encountered a connection error|Client was closed)/;

/**
 * Whether an error means the database is unreachable for now (down, restarting, connection cut),
 * so the same request may simply be sent again later. Query and constraint errors are not.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  // The pool found no connection in time: every attempt to open one failed or hung.
  if (name === 'KnexTimeoutError') return true;
  return typeof message === 'string' && DROPPED_CONNECTION_MESSAGE.test(message);
}
