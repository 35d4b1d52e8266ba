import type { Tx } from '../../knex';
import type { SampleToDecode } from './listSamplesMissingFeatures';

/**
 * The `limit` open samples next in the hand-out order whose content has no cached features
 * for `spec`: what a first, quick order decodes before the rest of a fresh import (they are
 * also what labellers would get next without it). Walks samples_handout_idx.
 */
export async function listQueueHeadMissingFeatures({
  tx,
  projectId,
  spec,
  limit,
}: {
  tx: Tx;
  projectId: number;
  spec: string;
  limit: number;
}): Promise<SampleToDecode[]> {
  const result = await tx.raw<{ rows: SampleToDecode[] }>(
    `SELECT s.id, s.source_uri, s.content_hash FROM samples s
     WHERE s.project_id = ? AND s.status = 'open'
       AND NOT EXISTS (
         SELECT 1 FROM feature_cache f WHERE f.content_hash = s.content_hash AND f.spec = ?)
     ORDER BY s.priority DESC, s.id
     LIMIT ?`,
    [projectId, spec, limit],
  );
  return result.rows;
}
