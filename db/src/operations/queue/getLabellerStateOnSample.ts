import type { Tx } from '../../knex';

export interface LabellerStateOnSample {
  /** Latest hand-out of the sample to this labeller, if it was ever handed to them. */
  handout_id: number | null;
  handout_model_version: number | null;
  /** Milliseconds since that hand-out, on the database clock. */
  elapsed_ms: number | null;
  /** The labeller already has a label or skip on this sample that no undo reverted. */
  has_entry: boolean;
}

export async function getLabellerStateOnSample({
  tx,
  sampleId,
  labeller,
}: {
  tx: Tx;
  sampleId: number;
  labeller: string;
}): Promise<LabellerStateOnSample> {
  const result = await tx.raw<{ rows: LabellerStateOnSample[] }>(
    `SELECT h.id AS handout_id, h.model_version AS handout_model_version,
            floor(extract(epoch FROM now() - h.handed_at) * 1000)::int AS elapsed_ms,
            EXISTS (
              SELECT 1 FROM labels l
              WHERE l.sample_id = ? AND l.labeller = ? AND l.kind IN ('label', 'skip')
                AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
            ) AS has_entry
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (
       SELECT id, model_version, handed_at FROM handouts
       WHERE sample_id = ? AND labeller = ?
       ORDER BY handed_at DESC LIMIT 1
     ) h ON true`,
    [sampleId, labeller, sampleId, labeller],
  );
  const row = result.rows[0];
  if (!row) throw new Error('labeller state query returned no row');
  return row;
}
