import type { Tx } from '../../knex';

export interface SampleUriRow {
  id: number;
  source_uri: string;
}

/**
 * One page of a project's samples (id and source URI) in id order after `afterId`: the final
 * export walks every image with keyset pages instead of one cursor held for the whole download.
 */
export async function listSampleUrisPage({
  tx,
  projectId,
  afterId,
  limit,
}: {
  tx: Tx;
  projectId: number;
  afterId: number;
  limit: number;
}): Promise<SampleUriRow[]> {
  const result = await tx.raw<{ rows: SampleUriRow[] }>(
    `SELECT id, source_uri FROM samples
     WHERE project_id = ? AND id > ?
     ORDER BY id
     LIMIT ?`,
    [projectId, afterId, limit],
  );
  return result.rows;
}
