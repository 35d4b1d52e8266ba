import type { Tx } from '../../knex';
import { RETRAIN_REQUESTED_CHANNEL } from './requestRetrain';

/**
 * Wakes the orchestrators to evaluate their retrain triggers now rather than at their next
 * poll: after an import, a project that was never ordered gets its first order at once.
 * Payload: `{ projectId }` (no job: the triggers decide whether one is due).
 */
export async function wakeOrchestrators({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<void> {
  await tx.raw(`SELECT pg_notify(?, json_build_object('projectId', ?::int)::text)`, [
    RETRAIN_REQUESTED_CHANNEL,
    projectId,
  ]);
}
