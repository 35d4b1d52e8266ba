import type { Tx } from '../../knex';
import type { DbSampleRow } from '../../tables';
import { ELIGIBLE_FOR_LABELLER } from './eligibleForLabeller';

export interface LeasedSample extends DbSampleRow {
  handout_id: number;
  handout_model_version: number | null;
}

/**
 * Leases the highest-priority sample this labeller may take and logs the hand-out, in one
 * statement. Eligible: open, no live lease (database clock), and no label or skip of this
 * labeller that is still in force. SKIP LOCKED lets concurrent callers pass over each other's
 * candidates instead of queueing behind them; a row leased by a transaction that committed after
 * our snapshot fails the re-check of the lease condition and is skipped too.
 * The lease columns are in no index, so the UPDATE is HOT and the hand-out index stays clean.
 */
export async function leaseNextSample({
  tx,
  projectId,
  labeller,
  ttlSeconds,
}: {
  tx: Tx;
  projectId: number;
  labeller: string;
  ttlSeconds: number;
}): Promise<LeasedSample | undefined> {
  const result = await tx.raw<{ rows: LeasedSample[] }>(
    `WITH picked AS (
       SELECT s.id, s.lease_owner, s.lease_expires_at FROM samples s
       WHERE ${ELIGIBLE_FOR_LABELLER}
       ORDER BY s.priority DESC, s.id
       LIMIT 1
       FOR UPDATE OF s SKIP LOCKED
     ), leased AS (
       UPDATE samples s
       SET lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?)
       FROM picked WHERE s.id = picked.id
       RETURNING s.*
     ), handout AS (
       INSERT INTO handouts (project_id, sample_id, labeller, model_version, replaced_owner,
                             replaced_expires_at)
       SELECT leased.project_id, leased.id, ?,
              (SELECT max(m.version) FROM models m WHERE m.project_id = leased.project_id),
              picked.lease_owner, picked.lease_expires_at
       FROM leased JOIN picked ON picked.id = leased.id
       RETURNING id, sample_id, model_version
     )
     SELECT leased.*, handout.id AS handout_id, handout.model_version AS handout_model_version
     FROM leased JOIN handout ON handout.sample_id = leased.id`,
    [projectId, labeller, labeller, ttlSeconds, labeller],
  );
  return result.rows[0];
}
