import type { Tx } from '../../knex';

export interface SampleToDecode {
  id: number;
  source_uri: string;
  content_hash: string;
}

/**
 * One page (keyset on id) of a project's samples whose content has no cached features for
 * `spec` yet: the only images a retrain has to decode. Samples sharing a hash all come back;
 * the caller decodes each hash once.
 */
export async function listSamplesMissingFeatures({
  tx,
  projectId,
  spec,
  afterId,
  limit,
}: {
  tx: Tx;
  projectId: number;
  spec: string;
  afterId: number;
  limit: number;
}): Promise<SampleToDecode[]> {
  const result = await tx.raw<{ rows: SampleToDecode[] }>(
    `SELECT s.id, s.source_uri, s.content_hash FROM samples s
     WHERE s.project_id = ? AND s.id > ?
       AND NOT EXISTS (
         SELECT 1 FROM feature_cache f WHERE f.content_hash = s.content_hash AND f.spec = ?)
     ORDER BY s.id
     LIMIT ?`,
    [projectId, afterId, spec, limit],
  );
  return result.rows;
}
