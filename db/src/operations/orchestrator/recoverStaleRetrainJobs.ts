import type { Tx } from '../../knex';
import { RETRAIN_REQUESTED_CHANNEL } from '../models/requestRetrain';

/**
 * Jobs left running by an orchestrator that stopped heartbeating (crashed, killed, cut off):
 * each is closed as failed with a note, and a fresh queued job with reason 'recovered' takes
 * its place, so history shows what happened and any orchestrator (this one included) can
 * claim it. Uses the database clock on both sides, so clock skew between hosts is harmless.
 * Returns the new job ids.
 */
export async function recoverStaleRetrainJobs({
  tx,
  staleAfterSeconds,
}: {
  tx: Tx;
  staleAfterSeconds: number;
}): Promise<number[]> {
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `WITH stale AS (
       UPDATE retrain_jobs
       SET status = 'failed', finished_at = now(),
           error = 'recovered: no heartbeat from ' || coalesce(locked_by, 'unknown') || ' since ' || heartbeat_at
       WHERE status = 'running'
         AND heartbeat_at < now() - make_interval(secs => ?)
       RETURNING project_id, requested_by
     ), requeued AS (
       INSERT INTO retrain_jobs (project_id, reason, requested_by)
       SELECT project_id, 'recovered', requested_by FROM stale
       RETURNING id, project_id
     )
     SELECT id, pg_notify(?, json_build_object('jobId', id, 'projectId', project_id)::text)
     FROM requeued`,
    [staleAfterSeconds, RETRAIN_REQUESTED_CHANNEL],
  );
  return result.rows.map((r) => r.id);
}
