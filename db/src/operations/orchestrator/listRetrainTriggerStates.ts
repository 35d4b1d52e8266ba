import type { Tx } from '../../knex';

export interface RetrainTriggerState {
  project_id: number;
  acquisition: Record<string, unknown>;
  /** A queued or running job exists: nothing to enqueue. */
  busy: boolean;
  /** No job has ever finished for the project (it has never been ordered). */
  never_ordered: boolean;
  /**
   * Some sample still wants labels. An import creates its project before the first chunk of
   * samples lands: a first order then would find nothing and count as the project's order.
   */
  has_open_samples: boolean;
  /**
   * Labels (kind label, not conflict), review decisions and gold answers created since the last
   * finished job started: a known answer changes what the model trains on as a new label does.
   */
  new_labels: number;
  /** Seconds since the last finished job finished (null: none). */
  seconds_since_last_job: number | null;
}

/**
 * Per project, what the trigger rules need: how many labels arrived since the last job that
 * finished (done or failed: a failing project waits for the next trigger instead of being
 * retried in a tight loop) and how long ago that was. Undos are not subtracted: the count
 * only decides when to retrain, an undo is rare, and the training itself reads the truth.
 * One pass over labels per project via the (project_id, created_at) index; review decisions
 * and gold answers come at an admin's pace, so counting a project's is cheap.
 */
export async function listRetrainTriggerStates({ tx }: { tx: Tx }): Promise<RetrainTriggerState[]> {
  const result = await tx.raw<{ rows: RetrainTriggerState[] }>(
    `SELECT p.id AS project_id, p.acquisition,
            EXISTS (SELECT 1 FROM retrain_jobs j
                    WHERE j.project_id = p.id AND j.status IN ('queued', 'running')) AS busy,
            last.started_at IS NULL AS never_ordered,
            EXISTS (SELECT 1 FROM samples s WHERE s.project_id = p.id AND s.status = 'open')
              AS has_open_samples,
            (SELECT count(*)::int FROM labels l
             WHERE l.project_id = p.id AND l.kind = 'label' AND NOT l.conflict
               AND l.created_at > coalesce(last.started_at, '-infinity'::timestamptz))
            + (SELECT count(*)::int FROM label_reviews r
               WHERE r.project_id = p.id
                 AND r.created_at > coalesce(last.started_at, '-infinity'::timestamptz))
            + (SELECT count(*)::int FROM gold_labels g
               WHERE g.project_id = p.id
                 AND g.created_at > coalesce(last.started_at, '-infinity'::timestamptz))
              AS new_labels,
            extract(epoch FROM now() - last.finished_at)::float8 AS seconds_since_last_job
     FROM projects p
     LEFT JOIN LATERAL (
       SELECT j.started_at, j.finished_at FROM retrain_jobs j
       WHERE j.project_id = p.id AND j.status IN ('done', 'failed') AND j.started_at IS NOT NULL
       ORDER BY j.finished_at DESC LIMIT 1
     ) last ON true
     ORDER BY p.id`,
  );
  return result.rows;
}
