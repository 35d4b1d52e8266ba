import type { Tx } from '../../knex';
import type { NewSample } from './insertSamples';

/**
 * For re-imports that re-read every object (--process-all): records the new hash, size and
 * dimensions of samples whose bytes changed since they were imported, one statement per
 * chunk. Rows whose content is the same are not touched (no dead tuples for an unchanged
 * re-read). `split` is kept: moving a labelled sample between train and eval would let the
 * model be measured on what it was trained on. Returns the source URIs of the rows that changed
 * (their thumbnails are stale).
 */
export async function updateSampleContents({
  tx,
  projectId,
  samples,
}: {
  tx: Tx;
  projectId: number;
  samples: NewSample[];
}): Promise<string[]> {
  if (samples.length === 0) return [];
  const result = await tx.raw<{ rows: { source_uri: string }[] }>(
    `UPDATE samples s
     SET content_hash = u.content_hash, width = u.width, height = u.height, byte_size = u.byte_size
     FROM unnest(?::text[], ?::text[], ?::int[], ?::int[], ?::bigint[])
       AS u(source_uri, content_hash, width, height, byte_size)
     JOIN sample_sources src ON src.project_id = ? AND src.source_uri = u.source_uri
     WHERE s.id = src.sample_id
       AND (s.content_hash, s.width, s.height, s.byte_size)
           IS DISTINCT FROM (u.content_hash, u.width, u.height, u.byte_size)
     RETURNING s.source_uri`,
    [
      samples.map((s) => s.sourceUri),
      samples.map((s) => s.contentHash),
      samples.map((s) => s.width),
      samples.map((s) => s.height),
      samples.map((s) => s.byteSize),
      projectId,
    ],
  );
  return result.rows.map((r) => r.source_uri);
}
