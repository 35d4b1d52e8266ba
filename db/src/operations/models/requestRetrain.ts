import type { Tx } from '../../knex';
import type { RetrainReason } from '../../tables';

/** Channel orchestrators LISTEN on to wake up and claim a queued retrain job. */
export const RETRAIN_REQUESTED_CHANNEL = 'retrain_requested';

/**
 * Queues a retrain job and wakes the orchestrators, in one statement: the NOTIFY is sent on
 * commit, so a woken orchestrator always finds the row. Payload: `{ jobId, projectId }`.
 */
export async function requestRetrain({
  tx,
  projectId,
  reason,
  requestedBy,
}: {
  tx: Tx;
  projectId: number;
  reason: RetrainReason;
  requestedBy: string | null;
}): Promise<{ jobId: number }> {
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `WITH job AS (
       INSERT INTO retrain_jobs (project_id, reason, requested_by) VALUES (?, ?, ?) RETURNING id
     )
     SELECT job.id, pg_notify(?, json_build_object('jobId', job.id, 'projectId', ?::int)::text)
     FROM job`,
    [projectId, reason, requestedBy, RETRAIN_REQUESTED_CHANNEL, projectId],
  );
  const row = result.rows[0];
  if (!row) throw new Error('insert into retrain_jobs returned no row');
  return { jobId: row.id };
}
