import type { Tx } from '../../knex';

/**
 * Clears leases whose expiry has passed (database clock). Hand-out already treats a lapsed
 * lease as free; this sweep keeps `lease_owner` honest for stats and admin views.
 */
export async function expireStaleLeases({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<number[]> {
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `UPDATE samples SET lease_owner = NULL, lease_expires_at = NULL
     WHERE project_id = ? AND status = 'open' AND lease_expires_at <= now()
     RETURNING id`,
    [projectId],
  );
  return result.rows.map((r) => r.id);
}
