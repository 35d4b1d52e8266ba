import type { Tx } from '../../knex';

export interface NewFeatures {
  contentHash: string;
  data: Buffer;
}

/**
 * Stores decoded pixels per content hash in one statement (arrays unnested); a hash already
 * cached (another orchestrator, or a copy of the same image) is left alone.
 */
export async function insertFeatures({
  tx,
  spec,
  features,
}: {
  tx: Tx;
  spec: string;
  features: NewFeatures[];
}): Promise<number> {
  if (features.length === 0) return 0;
  const result = await tx.raw<{ rowCount: number }>(
    `INSERT INTO feature_cache (content_hash, spec, data)
     SELECT u.content_hash, ?, u.data FROM unnest(?::text[], ?::bytea[]) AS u(content_hash, data)
     ON CONFLICT (content_hash, spec) DO NOTHING`,
    [spec, features.map((f) => f.contentHash), features.map((f) => f.data)],
  );
  return result.rowCount;
}
