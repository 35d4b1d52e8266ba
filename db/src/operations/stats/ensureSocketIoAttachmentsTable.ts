import type { Tx } from '../../knex';

/**
 * The table @socket.io/postgres-adapter parks broadcast payloads over NOTIFY's 8000-byte limit
 * in (and sweeps every 30 s). It belongs to the adapter, not to our schema, so it is created
 * on start-up with IF NOT EXISTS rather than by a migration. Safe to run from many processes.
 */
export async function ensureSocketIoAttachmentsTable({ tx }: { tx: Tx }): Promise<void> {
  try {
    await tx.raw(`
      CREATE TABLE IF NOT EXISTS socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  } catch (err) {
    // Two processes racing through IF NOT EXISTS: the loser hits the catalog's unique index
    // (23505) or sees the relation appear (42P07). Either way the table now exists.
    const code = (err as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P07') throw err;
  }
}
