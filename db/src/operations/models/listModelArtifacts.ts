import type { Tx } from '../../knex';
import type { DbModelRow } from '../../tables';

export type ModelArtifactsRow = Pick<DbModelRow, 'version' | 'trained_on' | 'artifacts'>;

/**
 * Every model version of a project with its serialized artifacts, oldest first. The product
 * only ever loads the latest version (getLatestModel) and lists versions without artifacts
 * (listProjectModels); this one is for checking each version's reported accuracy from outside,
 * by evaluating the very weights that were measured. Artifacts are large (the weights in
 * base64), so it reads one project's versions only.
 */
export async function listModelArtifacts({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<ModelArtifactsRow[]> {
  return tx<DbModelRow>('models')
    .select('version', 'trained_on', 'artifacts')
    .where({ project_id: projectId })
    .orderBy('version', 'asc');
}
