import type { Tx } from '../../knex';
import type { SampleSplit } from '../../tables';

export interface NewSample {
  sourceUri: string;
  contentHash: string;
  width: number;
  height: number;
  byteSize: number;
  priority?: number;
  split?: SampleSplit;
}

/**
 * Bulk-inserts samples as unnested arrays (one statement, one round trip per chunk);
 * a source URI already in the project is left alone. Returns how many rows were new.
 */
export async function insertSamples({
  tx,
  projectId,
  samples,
}: {
  tx: Tx;
  projectId: number;
  samples: NewSample[];
}): Promise<number> {
  if (samples.length === 0) return 0;
  const result = await tx.raw<{ rowCount: number }>(
    `INSERT INTO samples (project_id, source_uri, content_hash, width, height, byte_size, priority, split)
     SELECT ?, u.source_uri, u.content_hash, u.width, u.height, u.byte_size, u.priority, u.split
     FROM unnest(?::text[], ?::text[], ?::int[], ?::int[], ?::bigint[], ?::float8[], ?::text[])
       AS u(source_uri, content_hash, width, height, byte_size, priority, split)
     ON CONFLICT (project_id, source_uri) DO NOTHING`,
    [
      projectId,
      samples.map((s) => s.sourceUri),
      samples.map((s) => s.contentHash),
      samples.map((s) => s.width),
      samples.map((s) => s.height),
      samples.map((s) => s.byteSize),
      samples.map((s) => s.priority ?? 0),
      samples.map((s) => s.split ?? 'train'),
    ],
  );
  return result.rowCount;
}
