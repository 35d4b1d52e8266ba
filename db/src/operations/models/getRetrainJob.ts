import type { Tx } from '../../knex';
import type { DbRetrainJobRow } from '../../tables';

export type RetrainJobStatusRow = Pick<
  DbRetrainJobRow,
  'id' | 'status' | 'reason' | 'error' | 'created_at' | 'started_at' | 'finished_at'
> & {
  /** Version of the model the job produced (null until done, or when it trained none). */
  model_version: number | null;
};

/** One retrain job of a project, with its model's version; undefined for another project's. */
export async function getRetrainJob({
  tx,
  projectId,
  jobId,
}: {
  tx: Tx;
  projectId: number;
  jobId: number;
}): Promise<RetrainJobStatusRow | undefined> {
  return tx('retrain_jobs as j')
    .leftJoin('models as m', 'm.id', 'j.model_id')
    .where({ 'j.id': jobId, 'j.project_id': projectId })
    .first<RetrainJobStatusRow | undefined>(
      'j.id',
      'j.status',
      'j.reason',
      'j.error',
      'j.created_at',
      'j.started_at',
      'j.finished_at',
      'm.version as model_version',
    );
}
