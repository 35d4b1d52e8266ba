import type { Tx } from '../../knex';
import type { DbRetrainJobRow } from '../../tables';

/**
 * Claims the oldest queued retrain job of a project that is not being trained right now
 * (graphile-worker's getJobs pattern): SKIP LOCKED lets two orchestrators claim different
 * jobs at once without waiting on each other. Two queued jobs of ONE project claimed in the
 * same instant both pass the NOT EXISTS (neither sees the other's uncommitted update); the
 * unique index on running jobs per project then fails the second, which claims nothing
 * (returns undefined) and tries again at its next wake-up.
 */
export async function claimRetrainJob({
  tx,
  instanceId,
}: {
  tx: Tx;
  instanceId: string;
}): Promise<DbRetrainJobRow | undefined> {
  try {
    const result = await tx.raw<{ rows: DbRetrainJobRow[] }>(
      `UPDATE retrain_jobs j
       SET status = 'running', locked_by = ?, started_at = now(), heartbeat_at = now()
       WHERE j.id = (
         SELECT q.id FROM retrain_jobs q
         WHERE q.status = 'queued'
           AND NOT EXISTS (
             SELECT 1 FROM retrain_jobs r WHERE r.project_id = q.project_id AND r.status = 'running')
         ORDER BY q.created_at, q.id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING j.*`,
      [instanceId],
    );
    return result.rows[0];
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return undefined;
    throw err;
  }
}
