import type { Tx } from '../../knex';

/** Reverses the count of an undone label (insertLabelIfHandedOut): one fewer label, open again. */
export async function uncountLabelOnSample({
  tx,
  sampleId,
}: {
  tx: Tx;
  sampleId: number;
}): Promise<void> {
  await tx.raw(
    `UPDATE samples SET label_count = label_count - 1, status = 'open' WHERE id = ? AND label_count > 0`,
    [sampleId],
  );
}
