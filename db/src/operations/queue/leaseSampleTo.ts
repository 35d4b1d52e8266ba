import type { Tx } from '../../knex';

/**
 * Hands a sample back to a labeller (used by undo): always logs a new hand-out, which is what
 * their next label or skip of the sample answers, and gives them the lease unless somebody else
 * holds a live lease on it: that lease is never stolen. Returns whether they hold the lease.
 * A gold image goes back as a gold hand-out, without a lease (nobody holds gold images): true.
 */
export async function leaseSampleTo({
  tx,
  sampleId,
  labeller,
  ttlSeconds,
  gold = false,
}: {
  tx: Tx;
  sampleId: number;
  labeller: string;
  ttlSeconds: number;
  gold?: boolean;
}): Promise<boolean> {
  const result = await tx.raw<{ rows: { leased: boolean }[] }>(
    `WITH leased AS (
       UPDATE samples SET lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?)
       WHERE id = ? AND NOT ?::boolean
         AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at <= now())
       RETURNING id
     ), handout AS (
       INSERT INTO handouts (project_id, sample_id, labeller, model_version, gold)
       SELECT s.project_id, s.id, ?,
              (SELECT max(m.version) FROM models m WHERE m.project_id = s.project_id), ?
       FROM samples s WHERE s.id = ?
       RETURNING id
     )
     SELECT EXISTS (SELECT 1 FROM leased) AS leased, (SELECT count(*) FROM handout) AS handouts`,
    [labeller, ttlSeconds, sampleId, gold, labeller, labeller, gold, sampleId],
  );
  return gold || result.rows[0]?.leased === true;
}
