import type { Tx } from '../../knex';

/** The project's sample ids of the given source URIs (those it holds). */
export async function findSamplesByUris({
  tx,
  projectId,
  uris,
}: {
  tx: Tx;
  projectId: number;
  uris: string[];
}): Promise<Map<string, number>> {
  if (uris.length === 0) return new Map();
  const result = await tx.raw<{ rows: { source_uri: string; id: number }[] }>(
    `SELECT source_uri, id FROM samples WHERE project_id = ? AND source_uri = ANY(?::text[])`,
    [projectId, uris],
  );
  return new Map(result.rows.map((r) => [r.source_uri, r.id]));
}
