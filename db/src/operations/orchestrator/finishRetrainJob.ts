import type { Tx } from '../../knex';

/**
 * Ends a running job: done (with its model, if it trained one) or failed (with the error).
 * A finished job also settles the project's other queued jobs requested before it started:
 * the training that just ran already saw every label they were asking about. False when the
 * job was no longer ours (recovered as stale meanwhile).
 */
export async function finishRetrainJob({
  tx,
  jobId,
  instanceId,
  outcome,
}: {
  tx: Tx;
  jobId: number;
  instanceId: string;
  outcome: { status: 'done'; modelId: number | null } | { status: 'failed'; error: string };
}): Promise<boolean> {
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `WITH finished AS (
       UPDATE retrain_jobs
       SET status = ?, model_id = ?, error = ?, finished_at = now(), heartbeat_at = now()
       WHERE id = ? AND status = 'running' AND locked_by = ?
       RETURNING id, project_id, started_at
     ), settled AS (
       UPDATE retrain_jobs q
       SET status = 'done', model_id = ?, finished_at = now(),
           error = 'settled by job ' || f.id
       FROM finished f
       WHERE ? AND q.project_id = f.project_id AND q.status = 'queued'
         AND q.created_at <= f.started_at
     )
     SELECT id FROM finished`,
    [
      outcome.status,
      outcome.status === 'done' ? outcome.modelId : null,
      outcome.status === 'failed' ? outcome.error.slice(0, 4000) : null,
      jobId,
      instanceId,
      outcome.status === 'done' ? outcome.modelId : null,
      outcome.status === 'done',
    ],
  );
  return result.rows.length === 1;
}
