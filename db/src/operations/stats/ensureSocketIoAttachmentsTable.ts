import type { Knex } from 'knex';
import { ADVISORY_LOCKS } from '../../advisoryLock';

/**
 * The table @socket.io/postgres-adapter parks broadcast payloads over NOTIFY's 8000-byte limit
 * in (and sweeps every 30 s). It belongs to the adapter, not to our schema, so it is created
 * on start-up rather than by a migration. IF NOT EXISTS alone is not safe between processes
 * starting at once (the loser can fail on the catalog's row type, 42710, or its unique
 * indexes): a transaction-scoped advisory lock makes them take turns.
 */
export async function ensureSocketIoAttachmentsTable({ knex }: { knex: Knex }): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [ADVISORY_LOCKS.socketIoAttachments]);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  });
}
