import type { Knex } from 'knex';

/** Keys of the session-level advisory locks we take; arbitrary constants, one per purpose. */
export const ADVISORY_LOCKS = {
  migrations: 7_231_964_001,
  demoSeed: 7_231_964_002,
  socketIoAttachments: 7_231_964_003,
} as const;

/**
 * Runs `fn` while holding a Postgres advisory lock on one dedicated pooled connection, so
 * several processes starting at once (replicas) take turns instead of racing. The pool needs a
 * second connection for `fn` itself.
 */
export async function withAdvisoryLock<T>(
  knex: Knex,
  key: number,
  fn: () => Promise<T>,
): Promise<T> {
  const pool = knex.client as {
    acquireConnection: () => Promise<unknown>;
    releaseConnection: (conn: unknown) => Promise<void>;
  };
  const conn = await pool.acquireConnection();
  try {
    await knex.raw('SELECT pg_advisory_lock(?)', [key]).connection(conn);
    try {
      return await fn();
    } finally {
      await knex.raw('SELECT pg_advisory_unlock(?)', [key]).connection(conn);
    }
  } finally {
    await pool.releaseConnection(conn);
  }
}
