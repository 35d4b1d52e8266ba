import type { Tx } from '../../knex';
import type { LabelValue, SampleSplit } from '../../tables';

export interface KnownAnswerRow {
  sample_id: number;
  split: SampleSplit;
  content_hash: string;
  value: LabelValue;
  /** A reviewer's decision (label_reviews) or an admin's gold answer (gold_labels). */
  source: 'review' | 'gold';
}

/**
 * The answers in force that override the labellers' for a project, one per sample in sample id
 * order: the newest review where there is one (a reviewer looked at the image after its gold
 * answer was set, if any), else the gold answer in force.
 */
export async function listKnownAnswers({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<KnownAnswerRow[]> {
  const result = await tx.raw<{ rows: KnownAnswerRow[] }>(
    `SELECT k.sample_id, s.split, s.content_hash, k.value, k.source
     FROM (SELECT r.sample_id, r.value, 'review' AS source
           FROM reviewed_labels r WHERE r.project_id = ?
           UNION ALL
           SELECT g.sample_id, g.value, 'gold' AS source
           FROM gold_in_force g
           WHERE g.project_id = ?
             AND NOT EXISTS (SELECT 1 FROM label_reviews r
                             WHERE r.project_id = g.project_id AND r.sample_id = g.sample_id)) k
     JOIN samples s ON s.id = k.sample_id
     ORDER BY k.sample_id`,
    [projectId, projectId],
  );
  return result.rows;
}
