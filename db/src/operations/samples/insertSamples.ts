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
 * a source URI already in the project is left alone, and of a URI given twice the first
 * counts. The URI is claimed in sample_sources first (its primary key is what makes a URI
 * unique in a project) and only the claimed ones become samples, with ids in input order.
 * Returns how many rows were new.
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
    `WITH u AS (
       SELECT * FROM unnest(?::text[], ?::text[], ?::int[], ?::int[], ?::bigint[], ?::float8[], ?::text[])
         WITH ORDINALITY AS u(source_uri, content_hash, width, height, byte_size, priority, split, ord)
     ), firsts AS (
       SELECT DISTINCT ON (source_uri) * FROM u ORDER BY source_uri, ord
     ), claimed AS (
       INSERT INTO sample_sources (project_id, source_uri, sample_id)
       SELECT ?, f.source_uri, nextval(pg_get_serial_sequence('samples', 'id'))
       FROM (SELECT source_uri FROM firsts ORDER BY ord) f
       ON CONFLICT (project_id, source_uri) DO NOTHING
       RETURNING source_uri, sample_id
     )
     INSERT INTO samples (id, project_id, source_uri, content_hash, width, height, byte_size, priority, split)
     SELECT c.sample_id, ?, f.source_uri, f.content_hash, f.width, f.height, f.byte_size, f.priority, f.split
     FROM claimed c JOIN firsts f ON f.source_uri = c.source_uri`,
    [
      samples.map((s) => s.sourceUri),
      samples.map((s) => s.contentHash),
      samples.map((s) => s.width),
      samples.map((s) => s.height),
      samples.map((s) => s.byteSize),
      samples.map((s) => s.priority ?? 0),
      samples.map((s) => s.split ?? 'train'),
      projectId,
      projectId,
    ],
  );
  return result.rowCount;
}
