import type { Tx } from '../../knex';

/** Which of the given sample ids belong to the project. */
export async function filterProjectSampleIds({
  tx,
  projectId,
  ids,
}: {
  tx: Tx;
  projectId: number;
  ids: number[];
}): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `SELECT id FROM samples WHERE project_id = ? AND id = ANY(?::bigint[])`,
    [projectId, ids],
  );
  return new Set(result.rows.map((r) => r.id));
}
