import type { Tx } from '../../knex';
import type { DbModelRow } from '../../tables';

export type ModelSummaryRow = Pick<
  DbModelRow,
  'version' | 'trained_on' | 'metrics' | 'backend' | 'created_at'
>;

/** Every model version of a project, newest first, without the (large) artifacts. */
export async function listProjectModels({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<ModelSummaryRow[]> {
  return tx<DbModelRow>('models')
    .select('version', 'trained_on', 'metrics', 'backend', 'created_at')
    .where({ project_id: projectId })
    .orderBy('version', 'desc');
}
