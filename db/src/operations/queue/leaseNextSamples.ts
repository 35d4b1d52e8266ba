import type { Tx } from '../../knex';
import type { DbSampleRow } from '../../tables';

export interface LeasedSample extends DbSampleRow {
  handout_id: number;
  handout_model_version: number | null;
}

/**
 * Leases the highest-priority sample each labeller may take and logs each hand-out, in one
 * round trip and one commit (the lease_samples function, db/src/sql/lease_samples.sql). Eligible:
 * open, no live lease (database clock), and no label or skip of this labeller that is still in
 * force. SKIP LOCKED lets concurrent callers pass over each other's candidates instead of
 * queueing behind them; a row leased by a transaction that committed after our snapshot fails
 * the re-check of the lease condition and is skipped too. The lease columns are in no index, so
 * the UPDATE is HOT and the hand-out index stays clean. The hand-out commits asynchronously
 * (see the function): run this in a transaction of its own, never inside one that labels.
 * Returns one entry per labeller, in order; undefined where nothing was left for them.
 */
export async function leaseNextSamples({
  tx,
  projectId,
  labellers,
  ttlSeconds,
}: {
  tx: Tx;
  projectId: number;
  labellers: readonly string[];
  ttlSeconds: number;
}): Promise<(LeasedSample | undefined)[]> {
  const result = await tx.raw<{ rows: (LeasedSample & { ord: number })[] }>(
    `SELECT (l.sample).*, l.handout_id, l.handout_model_version, l.ord
     FROM lease_samples(?::int, ?::text[], ?::float8) l`,
    [projectId, [...labellers], ttlSeconds],
  );
  const leased = new Array<LeasedSample | undefined>(labellers.length).fill(undefined);
  for (const { ord, ...row } of result.rows) leased[ord - 1] = row;
  return leased;
}
