import type { Tx } from '../../knex';

export interface HourlyLabelCount {
  hour: Date;
  labels: number;
}

/**
 * Label rows per hour over the last `hours` hours (every label row, undone or not: this is
 * labelling activity, not the state of the queue). Reads labels_project_created_idx.
 */
export async function countLabelsPerHour({
  tx,
  projectId,
  hours,
}: {
  tx: Tx;
  projectId: number;
  hours: number;
}): Promise<HourlyLabelCount[]> {
  const result = await tx.raw<{ rows: HourlyLabelCount[] }>(
    `SELECT date_trunc('hour', created_at) AS hour, count(*)::int AS labels
     FROM labels
     WHERE project_id = ? AND kind = 'label' AND created_at > now() - make_interval(hours => ?)
     GROUP BY 1 ORDER BY 1`,
    [projectId, hours],
  );
  return result.rows;
}
