import type { Tx } from '../../knex';
import type { DbModelRow } from '../../tables';

export type ModelToReevaluateRow = Pick<DbModelRow, 'id' | 'version' | 'metrics' | 'artifacts'>;

/**
 * A project's model versions, newest first, whose accuracy was measured on fewer than
 * `minEvaluatedOn` held-out labels, with their artifacts: the held-out share has grown since,
 * and measuring them again on all of it narrows their intervals. Versions whose re-measuring
 * failed once (`metrics.reevaluationFailed`) are left out, so a bad row is not retried forever.
 * Artifacts are large, hence `limit`.
 */
export async function listModelsToReevaluate({
  tx,
  projectId,
  minEvaluatedOn,
  limit,
}: {
  tx: Tx;
  projectId: number;
  minEvaluatedOn: number;
  limit: number;
}): Promise<ModelToReevaluateRow[]> {
  return tx<DbModelRow>('models')
    .select('id', 'version', 'metrics', 'artifacts')
    .where({ project_id: projectId })
    .whereRaw(`coalesce((metrics->>'evaluatedOn')::int, 0) < ?`, [minEvaluatedOn])
    .whereRaw(`metrics->'reevaluationFailed' IS NULL`)
    .orderBy('version', 'desc')
    .limit(limit);
}
