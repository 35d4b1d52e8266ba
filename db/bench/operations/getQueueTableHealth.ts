import type { Tx } from '../../src/index';

export interface QueueTableHealth {
  /** Live and dead row versions of samples, as the statistics collector last counted them. */
  liveTuples: number;
  deadTuples: number;
  /** Updates of samples so far, and how many were HOT (no new index entries). */
  updates: number;
  hotUpdates: number;
  autovacuums: number;
  /** Bytes of the partial index the hand-out reads from its head. */
  handoutIndexBytes: number;
  samplesBytes: number;
  handoutsDeadTuples: number;
}

/**
 * How the hot table is ageing under lease churn: dead tuples, the HOT share of updates (a lease
 * writes only columns no index covers, so it should be HOT) and the size of the hand-out index.
 */
export async function getQueueTableHealth({ tx }: { tx: Tx }): Promise<QueueTableHealth> {
  const result = await tx.raw<{ rows: QueueTableHealth[] }>(
    `SELECT s.n_live_tup::float8 AS "liveTuples", s.n_dead_tup::float8 AS "deadTuples",
            s.n_tup_upd::float8 AS updates, s.n_tup_hot_upd::float8 AS "hotUpdates",
            s.autovacuum_count::float8 AS autovacuums,
            pg_relation_size('samples_handout_idx')::float8 AS "handoutIndexBytes",
            pg_relation_size('samples')::float8 AS "samplesBytes",
            (SELECT h.n_dead_tup FROM pg_stat_user_tables h WHERE h.relname = 'handouts')::float8
              AS "handoutsDeadTuples"
     FROM pg_stat_user_tables s WHERE s.relname = 'samples'`,
  );
  const row = result.rows[0];
  if (!row) throw new Error('no statistics for samples');
  return row;
}
