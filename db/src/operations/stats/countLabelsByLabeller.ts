import type { Tx } from '../../knex';

export interface LabellerCounts {
  labeller: string;
  /** Labels in force that counted (not undone, not conflicts). */
  labels: number;
  conflicts: number;
  skips: number;
  /** Median time from hand-out to label, ms; null when no label recorded one. */
  median_ms: number | null;
  /** Labels in force on images with a gold answer, and how many of them match it. */
  gold_answered: number;
  gold_correct: number;
  last_at: Date;
}

/**
 * Per-labeller totals of one project, entries reverted by an undo left out. Gold accuracy
 * compares as sets (jsonb containment both ways), so a multi-label answer's order is moot.
 */
export async function countLabelsByLabeller({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<LabellerCounts[]> {
  const result = await tx.raw<{ rows: LabellerCounts[] }>(
    `SELECT l.labeller,
            count(*) FILTER (WHERE l.kind = 'label' AND NOT l.conflict)::int AS labels,
            count(*) FILTER (WHERE l.kind = 'label' AND l.conflict)::int AS conflicts,
            count(*) FILTER (WHERE l.kind = 'skip')::int AS skips,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY l.time_spent_ms)
               FILTER (WHERE l.kind = 'label' AND NOT l.conflict))::float8 AS median_ms,
            count(*) FILTER (WHERE l.kind = 'label' AND g.value IS NOT NULL)::int AS gold_answered,
            count(*) FILTER (WHERE l.kind = 'label' AND l.value @> g.value
                                   AND g.value @> l.value)::int AS gold_correct,
            max(l.created_at) AS last_at
     FROM labels l
     LEFT JOIN gold_in_force g ON g.project_id = l.project_id AND g.sample_id = l.sample_id
     WHERE l.project_id = ? AND l.kind IN ('label', 'skip')
       AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
     GROUP BY l.labeller
     ORDER BY labels DESC, l.labeller`,
    [projectId],
  );
  return result.rows;
}
