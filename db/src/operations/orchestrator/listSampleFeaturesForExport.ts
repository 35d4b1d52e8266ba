import type { Tx } from '../../knex';

export interface SampleFeaturesForExport {
  id: number;
  source_uri: string;
  data: Buffer;
}

/**
 * One page (keyset on id) of ALL of a project's samples (open, leased, labelled, skipped)
 * with their source URI and cached pixels: the datapool export. Samples whose image could not
 * be decoded have no cached features and are not in it.
 */
export async function listSampleFeaturesForExport({
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
}): Promise<SampleFeaturesForExport[]> {
  const result = await tx.raw<{ rows: SampleFeaturesForExport[] }>(
    `SELECT s.id, s.source_uri, f.data FROM samples s
     JOIN feature_cache f ON f.content_hash = s.content_hash AND f.spec = ?
     WHERE s.project_id = ? AND s.id > ?
     ORDER BY s.id
     LIMIT ?`,
    [spec, projectId, afterId, limit],
  );
  return result.rows;
}
