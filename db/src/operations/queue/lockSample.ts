import type { Tx } from '../../knex';

/**
 * Row-locks a sample for the rest of the transaction (undo), so a label on it waits until the
 * count and status are restored. Returns whether the sample exists.
 */
export async function lockSample({ tx, sampleId }: { tx: Tx; sampleId: number }): Promise<boolean> {
  const result = await tx.raw<{ rows: unknown[] }>(
    `SELECT id FROM samples WHERE id = ? FOR UPDATE`,
    [sampleId],
  );
  return result.rows.length > 0;
}
