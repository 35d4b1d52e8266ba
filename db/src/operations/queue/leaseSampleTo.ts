import type { Tx } from '../../knex';

/**
 * Gives the labeller the lease on a sample the caller has locked (used by undo) and logs the
 * hand-out, unless somebody else holds a live lease on it: that lease is never stolen.
 * Returns whether the labeller now holds the lease.
 */
export async function leaseSampleTo({
  tx,
  sampleId,
  labeller,
  ttlSeconds,
}: {
  tx: Tx;
  sampleId: number;
  labeller: string;
  ttlSeconds: number;
}): Promise<boolean> {
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `WITH leased AS (
       UPDATE samples SET lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?)
       WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at <= now())
       RETURNING id, project_id
     )
     INSERT INTO handouts (project_id, sample_id, labeller, model_version)
     SELECT leased.project_id, leased.id, ?,
            (SELECT max(m.version) FROM models m WHERE m.project_id = leased.project_id)
     FROM leased
     RETURNING sample_id AS id`,
    [labeller, ttlSeconds, sampleId, labeller, labeller],
  );
  return result.rows.length > 0;
}
