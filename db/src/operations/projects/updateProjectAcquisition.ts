import type { Tx } from '../../knex';

/**
 * Replaces a project's acquisition settings (`projects.acquisition`). The caller validates the
 * object (the contract's acquisition settings schema); the orchestrator reads it at each retrain.
 * Returns false when no project has this id.
 */
export async function updateProjectAcquisition({
  tx,
  projectId,
  acquisition,
}: {
  tx: Tx;
  projectId: number;
  acquisition: Record<string, unknown>;
}): Promise<boolean> {
  const updated = await tx('projects')
    .where({ id: projectId })
    .update({ acquisition: JSON.stringify(acquisition) });
  return updated > 0;
}
