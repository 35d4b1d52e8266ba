import type { Knex } from 'knex';
import type { Tx } from '../../knex';
import type { LabelValue } from '../../tables';

export interface ScoredSample {
  id: number;
  priority: number;
  predictedLabel: LabelValue | null;
  predictedConfidence: number | null;
}

/**
 * Writes one chunk of queue priorities (and the model's suggestion) in one statement, arrays
 * unnested. Meant to run chunk after chunk inside ONE transaction, so a crash leaves every
 * priority as it was.
 *
 * - Only open samples: one labelled while the model trained stays done (status and lease
 *   columns are never touched, so nothing is re-queued and no lease is disturbed).
 * - Leased samples are left alone (a labeller is looking at them; they keep their old priority
 *   and suggestion until the next retrain), so a label never waits for our COMMIT: its
 *   FOR UPDATE only ever meets rows nobody holds.
 * - SKIP LOCKED: a row a labeller's transaction holds right now (a hand-out in flight,
 *   milliseconds) is passed over rather than waited for. The other way round, the hand-out's
 *   SKIP LOCKED passes over rows we already rewrote until we commit; when that is every
 *   eligible row, nextSample waits for the commit instead of answering "nothing left"
 *   (bounded by the length of the write, which grows with the pool).
 * Returns how many rows were written.
 */
/** node-postgres sends null array elements as SQL NULL; knex's binding type omits them. */
function withNulls(values: (string | number | null)[]): Knex.Value {
  return values as Knex.Value;
}

export async function writeSamplePriorities({
  tx,
  projectId,
  modelVersion,
  samples,
}: {
  tx: Tx;
  projectId: number;
  modelVersion: number | null;
  samples: ScoredSample[];
}): Promise<number> {
  if (samples.length === 0) return 0;
  const result = await tx.raw<{ rowCount: number }>(
    `WITH u AS (
       SELECT * FROM unnest(?::bigint[], ?::float8[], ?::jsonb[], ?::real[])
         AS u(id, priority, predicted_label, predicted_confidence)
     ), writable AS (
       SELECT s.id FROM samples s JOIN u ON u.id = s.id
       WHERE s.project_id = ? AND s.status = 'open'
         AND (s.lease_expires_at IS NULL OR s.lease_expires_at <= now())
       FOR UPDATE OF s SKIP LOCKED
     )
     UPDATE samples s
     SET priority = u.priority, predicted_label = u.predicted_label,
         predicted_confidence = u.predicted_confidence, scored_model_version = ?
     FROM u JOIN writable w ON w.id = u.id
     WHERE s.id = u.id AND s.status = 'open'`,
    [
      samples.map((s) => s.id),
      samples.map((s) => s.priority),
      withNulls(
        samples.map((s) => (s.predictedLabel === null ? null : JSON.stringify(s.predictedLabel))),
      ),
      withNulls(samples.map((s) => s.predictedConfidence)),
      projectId,
      modelVersion,
    ],
  );
  return result.rowCount;
}
