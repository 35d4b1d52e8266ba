import type { Tx } from '../../knex';
import type { DbModelRow } from '../../tables';

/** The newest model version of a project, artifacts included; undefined before the first. */
export async function getLatestModel({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<DbModelRow | undefined> {
  return tx<DbModelRow>('models')
    .where({ project_id: projectId })
    .orderBy('version', 'desc')
    .first();
}
