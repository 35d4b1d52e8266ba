import type { Tx } from '../../knex';

/** Archives (now, on the database clock) or unarchives a project; false when there is none. */
export async function setProjectArchived({
  tx,
  projectId,
  archived,
}: {
  tx: Tx;
  projectId: number;
  archived: boolean;
}): Promise<boolean> {
  const updated = await tx('projects')
    .where({ id: projectId })
    .update({ archived_at: archived ? tx.fn.now() : null });
  return updated > 0;
}
