import type { Tx } from '../../knex';
import { RETRAIN_REQUESTED_CHANNEL } from '../models/requestRetrain';

export interface RecoveredRetrainJobs {
  /** New queued jobs (reason 'recovered') that take the dead ones' place. */
  requeued: number[];
  /** Dead jobs that reached the limit: closed as failed, not requeued. */
  gaveUp: number[];
}

/**
 * Jobs left running by an orchestrator that stopped heartbeating (crashed, killed, cut off):
 * each is closed as failed with a note, and a fresh queued job with reason 'recovered' takes
 * its place, so history shows what happened and any orchestrator (this one included) can
 * claim it. The new job carries recoveries + 1; once that reaches `maxRecoveries` the work is
 * not requeued but left failed with an error saying so: a job that kills its process every
 * time (say, out of memory on a huge pool) must not crash orchestrators forever. The project
 * then retrains at its next trigger (new labels, or an admin request). Uses the database
 * clock on both sides, so clock skew between hosts is harmless.
 */
export async function recoverStaleRetrainJobs({
  tx,
  staleAfterSeconds,
  maxRecoveries,
}: {
  tx: Tx;
  staleAfterSeconds: number;
  maxRecoveries: number;
}): Promise<RecoveredRetrainJobs> {
  const result = await tx.raw<{ rows: { id: number; requeued: boolean }[] }>(
    `WITH stale AS (
       UPDATE retrain_jobs
       SET status = 'failed', finished_at = now(),
           error = CASE WHEN recoveries + 1 >= ?
             THEN 'gave up: the orchestrator running this job died ' || (recoveries + 1) ||
                  ' times in a row (last: no heartbeat from ' || coalesce(locked_by, 'unknown') ||
                  ' since ' || heartbeat_at || '); not retried until the next trigger'
             ELSE 'recovered: no heartbeat from ' || coalesce(locked_by, 'unknown') || ' since ' || heartbeat_at
           END
       WHERE status = 'running'
         AND heartbeat_at < now() - make_interval(secs => ?)
       RETURNING id, project_id, requested_by, recoveries
     ), requeued AS (
       INSERT INTO retrain_jobs (project_id, reason, requested_by, recoveries)
       SELECT project_id, 'recovered', requested_by, recoveries + 1 FROM stale
       WHERE recoveries + 1 < ?
       RETURNING id, project_id
     )
     SELECT id, true AS requeued,
            pg_notify(?, json_build_object('jobId', id, 'projectId', project_id)::text)
     FROM requeued
     UNION ALL
     SELECT id, false, null FROM stale WHERE recoveries + 1 >= ?`,
    [maxRecoveries, staleAfterSeconds, maxRecoveries, RETRAIN_REQUESTED_CHANNEL, maxRecoveries],
  );
  return {
    requeued: result.rows.filter((r) => r.requeued).map((r) => r.id),
    gaveUp: result.rows.filter((r) => !r.requeued).map((r) => r.id),
  };
}
