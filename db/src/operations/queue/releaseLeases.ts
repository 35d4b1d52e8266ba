import type { Tx } from '../../knex';

/** Ends the labeller's leases on these samples now (skip, disconnect). Returns the ids freed. */
export async function releaseLeases({
  tx,
  labeller,
  sampleIds,
}: {
  tx: Tx;
  labeller: string;
  sampleIds: number[];
}): Promise<number[]> {
  if (sampleIds.length === 0) return [];
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `UPDATE samples SET lease_owner = NULL, lease_expires_at = NULL
     WHERE id = ANY(?::bigint[]) AND lease_owner = ?
     RETURNING id`,
    [sampleIds, labeller],
  );
  return result.rows.map((r) => r.id);
}
