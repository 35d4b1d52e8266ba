import type { Tx } from '../../knex';

/**
 * Gold images leave the normal queue: a sample with a gold answer in force is 'done' (and its
 * lease ends); one whose gold answer was retired is open again unless it has all its labels.
 */
export async function syncGoldSampleStatus({
  tx,
  projectId,
  sampleIds,
}: {
  tx: Tx;
  projectId: number;
  sampleIds: number[];
}): Promise<void> {
  if (sampleIds.length === 0) return;
  await tx.raw(
    `UPDATE samples s
     SET status = CASE WHEN g.sample_id IS NOT NULL OR s.label_count >= p.labels_per_sample
                       THEN 'done' ELSE 'open' END,
         lease_owner = CASE WHEN g.sample_id IS NOT NULL THEN NULL ELSE s.lease_owner END,
         lease_expires_at = CASE WHEN g.sample_id IS NOT NULL THEN NULL ELSE s.lease_expires_at END
     FROM projects p, unnest(?::bigint[]) AS t(id)
     LEFT JOIN gold_in_force g ON g.project_id = ? AND g.sample_id = t.id
     WHERE s.id = t.id AND s.project_id = p.id AND p.id = ?`,
    [sampleIds, projectId, projectId],
  );
}
