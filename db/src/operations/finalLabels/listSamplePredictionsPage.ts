import type { Tx } from '../../knex';
import type { LabelValue } from '../../tables';

export interface SamplePredictionRow {
  id: number;
  predicted_label: LabelValue;
  predicted_confidence: number;
}

/**
 * One page of a project's samples that the current model has scored (its predicted label and
 * that label's probability), in id order after `afterId`.
 */
export async function listSamplePredictionsPage({
  tx,
  projectId,
  afterId,
  limit,
}: {
  tx: Tx;
  projectId: number;
  afterId: number;
  limit: number;
}): Promise<SamplePredictionRow[]> {
  const result = await tx.raw<{ rows: SamplePredictionRow[] }>(
    `SELECT id, predicted_label, predicted_confidence FROM samples
     WHERE project_id = ? AND id > ?
       AND predicted_label IS NOT NULL AND predicted_confidence IS NOT NULL
     ORDER BY id
     LIMIT ?`,
    [projectId, afterId, limit],
  );
  return result.rows;
}
