import type { Tx } from '../../knex';
import type { DbLabelReviewRow, LabelValue } from '../../tables';

/**
 * Appends a reviewer's decision on an image's final label. Nothing is updated or deleted: the
 * newest row per sample is the one in force (view reviewed_labels), the older ones are history.
 */
export async function insertLabelReview({
  tx,
  projectId,
  sampleId,
  reviewer,
  value,
}: {
  tx: Tx;
  projectId: number;
  sampleId: number;
  reviewer: string;
  value: LabelValue;
}): Promise<DbLabelReviewRow> {
  const result = await tx.raw<{ rows: DbLabelReviewRow[] }>(
    `INSERT INTO label_reviews (project_id, sample_id, reviewer, value)
     VALUES (?, ?, ?, ?::jsonb)
     RETURNING id, project_id, sample_id, reviewer, value, created_at`,
    [projectId, sampleId, reviewer, JSON.stringify(value)],
  );
  const row = result.rows[0];
  if (!row) throw new Error('insert into label_reviews returned no row');
  return row;
}
