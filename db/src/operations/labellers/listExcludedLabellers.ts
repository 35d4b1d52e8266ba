import type { Tx } from '../../knex';

/** The labellers whose answers are left out of training and final labels, by name. */
export async function listExcludedLabellers({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<string[]> {
  const result = await tx.raw<{ rows: { labeller: string }[] }>(
    `SELECT labeller FROM excluded_labellers WHERE project_id = ? ORDER BY labeller`,
    [projectId],
  );
  return result.rows.map((r) => r.labeller);
}
