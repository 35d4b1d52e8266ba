import type { Tx } from '../../knex';

/**
 * Overwrites the given keys of one model version's metrics and keeps the others (jsonb `||`):
 * a later measurement of the same weights, not a new version.
 */
export async function patchModelMetrics({
  tx,
  modelId,
  patch,
}: {
  tx: Tx;
  modelId: number;
  patch: Record<string, unknown>;
}): Promise<void> {
  await tx('models')
    .where({ id: modelId })
    .update({ metrics: tx.raw('metrics || ?::jsonb', [JSON.stringify(patch)]) });
}
