import type { Tx } from '../../knex';

/**
 * Marks a running job as alive. False when the job is no longer ours (recovered by another
 * orchestrator after a stall): the caller must abandon it without writing anything.
 */
export async function heartbeatRetrainJob({
  tx,
  jobId,
  instanceId,
}: {
  tx: Tx;
  jobId: number;
  instanceId: string;
}): Promise<boolean> {
  const result = await tx.raw<{ rowCount: number }>(
    `UPDATE retrain_jobs SET heartbeat_at = now()
     WHERE id = ? AND status = 'running' AND locked_by = ?`,
    [jobId, instanceId],
  );
  return result.rowCount === 1;
}
