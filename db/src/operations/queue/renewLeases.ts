import type { Tx } from '../../knex';

/**
 * Pushes the expiry of the labeller's leases on these samples to now + TTL (heartbeat while
 * connected). A lease already taken over by someone else is not touched. Returns renewed ids.
 */
export async function renewLeases({
  tx,
  labeller,
  sampleIds,
  ttlSeconds,
}: {
  tx: Tx;
  labeller: string;
  sampleIds: number[];
  ttlSeconds: number;
}): Promise<number[]> {
  if (sampleIds.length === 0) return [];
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `UPDATE samples SET lease_expires_at = now() + make_interval(secs => ?)
     WHERE id = ANY(?::bigint[]) AND lease_owner = ? AND status = 'open'
     RETURNING id`,
    [ttlSeconds, sampleIds, labeller],
  );
  return result.rows.map((r) => r.id);
}
