import type { Tx } from '../../knex';
import type { SampleStatus } from '../../tables';

export interface LockedSample {
  id: number;
  project_id: number;
  status: SampleStatus;
  label_count: number;
  lease_owner: string | null;
  lease_active: boolean;
  labels_per_sample: number;
  options: string[];
  multi_label: boolean;
}

/**
 * Row-locks a sample (with its project's rules) for the rest of the transaction, so labels,
 * skips and undos on one sample are serialised and its count can never be double-bumped.
 */
export async function lockSampleForAction({
  tx,
  sampleId,
}: {
  tx: Tx;
  sampleId: number;
}): Promise<LockedSample | undefined> {
  const result = await tx.raw<{ rows: LockedSample[] }>(
    `SELECT s.id, s.project_id, s.status, s.label_count, s.lease_owner,
            coalesce(s.lease_expires_at > now(), false) AS lease_active,
            p.labels_per_sample, p.options, p.multi_label
     FROM samples s JOIN projects p ON p.id = s.project_id
     WHERE s.id = ?
     FOR UPDATE OF s`,
    [sampleId],
  );
  return result.rows[0];
}
