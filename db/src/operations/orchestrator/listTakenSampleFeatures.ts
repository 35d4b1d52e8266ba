import type { Tx } from '../../knex';

/**
 * The cached pixels of a project's training-split samples that are labelled or out on a live
 * lease, except `exceptIds` (the labels a retrain already read): what labellers took while the
 * retrain was training. Its selection treats them as covered, like the labelled ones.
 */
export async function listTakenSampleFeatures({
  tx,
  projectId,
  spec,
  exceptIds,
}: {
  tx: Tx;
  projectId: number;
  spec: string;
  exceptIds: readonly number[];
}): Promise<{ id: number; data: Buffer }[]> {
  const result = await tx.raw<{ rows: { id: number; data: Buffer }[] }>(
    `SELECT s.id, f.data FROM samples s
     JOIN feature_cache f ON f.content_hash = s.content_hash AND f.spec = ?
     WHERE s.project_id = ? AND s.split = 'train'
       AND (s.label_count > 0 OR s.lease_expires_at > now())
       AND NOT (s.id = ANY(?::bigint[]))
     ORDER BY s.id`,
    [spec, projectId, [...exceptIds]],
  );
  return result.rows;
}
