import type { Tx } from '../../knex';
import type { DbModelRow } from '../../tables';
import type { ModelSummaryRow } from './listProjectModels';

/** One model version of a project, without its artifacts. */
export async function getModelByVersion({
  tx,
  projectId,
  version,
}: {
  tx: Tx;
  projectId: number;
  version: number;
}): Promise<ModelSummaryRow | undefined> {
  return tx<DbModelRow>('models')
    .select('version', 'trained_on', 'metrics', 'backend', 'created_at')
    .where({ project_id: projectId, version })
    .first();
}
