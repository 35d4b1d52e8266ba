import type { Tx } from '../../knex';

/**
 * Counts one more effective label on a sample (locked by the caller), closes it when it has
 * all wanted labels, and ends the labeller's lease on it. `status` only changes on the last
 * wanted label, so most of these updates stay HOT.
 */
export async function countLabelOnSample({
  tx,
  sampleId,
  labeller,
  labelsPerSample,
}: {
  tx: Tx;
  sampleId: number;
  labeller: string;
  labelsPerSample: number;
}): Promise<void> {
  await tx.raw(
    `UPDATE samples SET
       label_count = label_count + 1,
       status = CASE WHEN label_count + 1 >= ? THEN 'done' ELSE 'open' END,
       lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END,
       lease_expires_at = CASE WHEN lease_owner = ? THEN NULL ELSE lease_expires_at END
     WHERE id = ?`,
    [labelsPerSample, labeller, labeller, sampleId],
  );
}
