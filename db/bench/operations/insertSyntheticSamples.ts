import type { Tx } from '../../src/index';

/**
 * Adds fake samples numbered `from` .. `from + count - 1` (no files behind them) with random priorities to a project in one
 * set-based statement: benchmarks need pools of a million rows, which row-by-row inserts from
 * node would take minutes to write.
 */
export async function insertSyntheticSamples({
  tx,
  projectId,
  from,
  count,
}: {
  tx: Tx;
  projectId: number;
  from: number;
  count: number;
}): Promise<void> {
  await tx.raw(
    `WITH added AS (
       INSERT INTO samples (project_id, source_uri, content_hash, width, height, byte_size, priority)
       SELECT ?, '/synthetic/' || g || '.png', md5(g::text) || md5((-g)::text), 28, 28, 784, random()
       FROM generate_series(?::int, ?::int) g
       RETURNING project_id, source_uri, id
     )
     INSERT INTO sample_sources (project_id, source_uri, sample_id) SELECT * FROM added`,
    [projectId, from, from + count - 1],
  );
}
