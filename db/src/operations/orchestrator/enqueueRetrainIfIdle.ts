import type { Knex } from 'knex';
import type { RetrainReason } from '../../tables';
import { RETRAIN_REQUESTED_CHANNEL } from '../models/requestRetrain';

/**
 * Queues a retrain job for a project unless one is already queued, and wakes the
 * orchestrators. Two orchestrators evaluating the triggers at once must not both insert: a
 * transaction-scoped advisory lock per project serialises them, and the second then finds
 * the first one's job (READ COMMITTED: the NOT EXISTS runs after the lock is granted, in a
 * fresh snapshot). Admin requests (requestRetrain) bypass this on purpose. Returns the job
 * id, or undefined when one was already queued.
 */
export async function enqueueRetrainIfIdle({
  tx,
  projectId,
  reason,
}: {
  tx: Knex.Transaction;
  projectId: number;
  reason: RetrainReason;
}): Promise<number | undefined> {
  // Arbitrary namespace (first key) so project ids cannot collide with other advisory locks.
  await tx.raw('SELECT pg_advisory_xact_lock(?, ?)', [7231, projectId]);
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `WITH job AS (
       INSERT INTO retrain_jobs (project_id, reason, requested_by)
       SELECT ?, ?, 'trigger'
       WHERE NOT EXISTS (
         SELECT 1 FROM retrain_jobs WHERE project_id = ? AND status = 'queued')
       RETURNING id
     )
     SELECT id, pg_notify(?, json_build_object('jobId', id, 'projectId', ?::int)::text) FROM job`,
    [projectId, reason, projectId, RETRAIN_REQUESTED_CHANNEL, projectId],
  );
  return result.rows[0]?.id;
}
