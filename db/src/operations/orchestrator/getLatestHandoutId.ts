import type { Tx } from '../../knex';

/**
 * The newest hand-out's id (0 before the first): the orchestrator reads how fast labellers
 * are being served from how it grows. The primary key's last index page answers it, so it
 * costs next to nothing however long the log is.
 */
export async function getLatestHandoutId({ tx }: { tx: Tx }): Promise<number> {
  const result = await tx.raw<{ rows: { id: string }[] }>(
    'SELECT coalesce(max(id), 0)::text AS id FROM handouts',
  );
  return Number(result.rows[0]?.id ?? 0);
}
