import type { Tx } from '../../knex';
import { ELIGIBLE_FOR_LABELLER } from './eligibleForLabeller';

/**
 * Whether the labeller could be handed a sample if no row were locked: a plain read, so a row
 * that another transaction holds (an orchestrator rewriting priorities) counts with the values
 * it had. Tells "nothing left" apart from "everything is locked for a moment".
 */
export async function hasEligibleSample({
  tx,
  projectId,
  labeller,
}: {
  tx: Tx;
  projectId: number;
  labeller: string;
}): Promise<boolean> {
  const result = await tx.raw<{ rows: unknown[] }>(
    `SELECT 1 FROM samples s WHERE ${ELIGIBLE_FOR_LABELLER} LIMIT 1`,
    [projectId, labeller],
  );
  return result.rows.length > 0;
}
