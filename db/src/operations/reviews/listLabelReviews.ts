import type { Tx } from '../../knex';
import type { DbLabelReviewRow } from '../../tables';

/** Every review decision on one sample of a project, oldest first (the last one is in force). */
export async function listLabelReviews({
  tx,
  projectId,
  sampleId,
}: {
  tx: Tx;
  projectId: number;
  sampleId: number;
}): Promise<DbLabelReviewRow[]> {
  return tx<DbLabelReviewRow>('label_reviews')
    .where({ project_id: projectId, sample_id: sampleId })
    .orderBy('id');
}
