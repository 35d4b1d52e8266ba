import type { Tx } from '../../knex';
import type { LabelValue, SampleSplit } from '../../tables';

export interface SampleFeatures {
  id: number;
  split: SampleSplit;
  data: Buffer;
  /** What the latest model predicted for it (null before any model). */
  predicted_label: LabelValue | null;
}

/**
 * One page (keyset on id) of a project's open samples with their cached pixels: the pool
 * the orchestrator scores, streamed so memory stays flat however large the pool is. Samples
 * without features (an unreadable file) are not in it and keep their priority.
 */
export async function listOpenSampleFeatures({
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
}): Promise<SampleFeatures[]> {
  const result = await tx.raw<{ rows: SampleFeatures[] }>(
    `SELECT s.id, s.split, s.predicted_label, f.data FROM samples s
     JOIN feature_cache f ON f.content_hash = s.content_hash AND f.spec = ?
     WHERE s.project_id = ? AND s.status = 'open' AND s.id > ?
     ORDER BY s.id
     LIMIT ?`,
    [spec, projectId, afterId, limit],
  );
  return result.rows;
}
