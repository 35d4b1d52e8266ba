import type { Tx } from '../../knex';

/**
 * How many of the project's samples are open, whether their features are cached yet or not:
 * the whole pool that a retrain's decoded part is a sample of.
 */
export async function countOpenSamples({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<number> {
  const result = await tx.raw<{ rows: { count: number }[] }>(
    `SELECT count(*)::int AS count FROM samples WHERE project_id = ? AND status = 'open'`,
    [projectId],
  );
  return result.rows[0]?.count ?? 0;
}
