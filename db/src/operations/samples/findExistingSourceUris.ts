import type { Tx } from '../../knex';

/** Which of the given URIs the project already holds (re-imports skip these before decoding). */
export async function findExistingSourceUris({
  tx,
  projectId,
  uris,
}: {
  tx: Tx;
  projectId: number;
  uris: string[];
}): Promise<Set<string>> {
  if (uris.length === 0) return new Set();
  const result = await tx.raw<{ rows: { source_uri: string }[] }>(
    `SELECT source_uri FROM sample_sources WHERE project_id = ? AND source_uri = ANY(?::text[])`,
    [projectId, uris],
  );
  return new Set(result.rows.map((r) => r.source_uri));
}
