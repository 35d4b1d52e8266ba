import type { Tx } from '../../knex';

/**
 * How many of a project's training-split samples are labelled or out on a live lease, except
 * `exceptIds` (the labels a retrain already read): what labellers took since it read them.
 */
export async function countTakenSamples({
  tx,
  projectId,
  exceptIds,
}: {
  tx: Tx;
  projectId: number;
  exceptIds: readonly number[];
}): Promise<number> {
  const result = await tx.raw<{ rows: { n: number }[] }>(
    `SELECT count(*)::int AS n FROM samples s
     WHERE s.project_id = ? AND s.split = 'train'
       AND (s.label_count > 0 OR s.lease_expires_at > now())
       AND NOT (s.id = ANY(?::bigint[]))`,
    [projectId, [...exceptIds]],
  );
  return result.rows[0]?.n ?? 0;
}
