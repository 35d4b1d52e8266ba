import type { Tx } from '../../knex';

export interface ProjectProgress {
  total: number;
  done: number;
  labels: number;
  wanted: number;
  leased: number;
}

/** Queue totals of one project: samples, finished samples, effective labels, live leases. */
export async function getProjectProgress({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<ProjectProgress> {
  const result = await tx.raw<{ rows: ProjectProgress[] }>(
    `SELECT count(s.id)::int AS total,
            count(*) FILTER (WHERE s.status = 'done')::int AS done,
            coalesce(sum(s.label_count), 0)::int AS labels,
            (count(s.id) * p.labels_per_sample)::int AS wanted,
            count(*) FILTER (WHERE s.status = 'open' AND s.lease_expires_at > now())::int AS leased
     FROM projects p LEFT JOIN samples s ON s.project_id = p.id
     WHERE p.id = ?
     GROUP BY p.labels_per_sample`,
    [projectId],
  );
  return result.rows[0] ?? { total: 0, done: 0, labels: 0, wanted: 0, leased: 0 };
}
