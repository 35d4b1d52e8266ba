import type { Tx } from '../../knex';

export interface SampleShape {
  id: number;
  source_uri: string;
  width: number;
  height: number;
}

/**
 * The first `limit` samples of a project by id, with their stored sizes: what the
 * orchestrator looks at to derive a default input size (the primary key serves it).
 */
export async function listFirstSamples({
  tx,
  projectId,
  limit,
}: {
  tx: Tx;
  projectId: number;
  limit: number;
}): Promise<SampleShape[]> {
  const result = await tx.raw<{ rows: SampleShape[] }>(
    `SELECT id, source_uri, width, height FROM samples
     WHERE project_id = ? ORDER BY id LIMIT ?`,
    [projectId, limit],
  );
  return result.rows;
}
