import type { Tx } from '../../knex';

/** Cached pixels for the given content hashes (missing ones are simply absent). */
export async function getFeaturesByHashes({
  tx,
  spec,
  hashes,
}: {
  tx: Tx;
  spec: string;
  hashes: string[];
}): Promise<{ content_hash: string; data: Buffer }[]> {
  if (hashes.length === 0) return [];
  const result = await tx.raw<{ rows: { content_hash: string; data: Buffer }[] }>(
    `SELECT content_hash, data FROM feature_cache WHERE spec = ? AND content_hash = ANY(?::text[])`,
    [spec, hashes],
  );
  return result.rows;
}
