import type { Tx } from '../../knex';
import type { LabelValue } from '../../tables';

export interface AnswerResult {
  /** A row this labeller already wrote under the same client key (a resend): nothing new written. */
  replay_id: number | null;
  replay_conflict: boolean | null;
  /** Project of the sample; null when no such sample. */
  project_id: number | null;
  /** The value fits the project's options and mode (always true for a skip). */
  value_ok: boolean | null;
  /** The labeller's latest hand-out of the sample; null when it was never handed to them. */
  handout_id: number | null;
  /** The new row; null when a check failed or that hand-out was already answered. */
  label_id: number | null;
  conflict: boolean | null;
}

/**
 * Appends a label or skip as the answer to the labeller's latest hand-out of the sample, in ONE
 * statement, so no transaction stays open across client round trips (the bench showed most
 * backends idle in transaction with the 4-round-trip version). The sample row is locked
 * (FOR UPDATE re-reads its latest version), so the count and the conflict flag see every label
 * committed before; the unique index on labels.handout_id turns a second answer to the same
 * hand-out into ON CONFLICT DO NOTHING, whatever this statement's snapshot saw.
 * A label counts unless the sample already has all wanted labels (then it is kept as a
 * conflict); a skip never counts; either ends the labeller's lease on the sample.
 */
export async function insertAnswer({
  tx,
  projectId,
  sampleId,
  labeller,
  kind,
  value,
  clientKey,
}: {
  tx: Tx;
  projectId: number;
  sampleId: number;
  labeller: string;
  kind: 'label' | 'skip';
  /** The label's value; null for a skip. */
  value: LabelValue | null;
  clientKey: string | null;
}): Promise<AnswerResult> {
  const result = await tx.raw<{ rows: AnswerResult[] }>(
    `WITH input AS (
       SELECT ?::bigint AS sample_id, ?::int AS project_id, ?::text AS labeller, ?::text AS kind,
              ?::jsonb AS value, ?::text AS client_key
     ), replay AS (
       SELECT l.id, l.conflict FROM labels l, input i
       WHERE i.client_key IS NOT NULL AND l.labeller = i.labeller AND l.client_key = i.client_key
     ), target AS (
       SELECT s.id, s.project_id, s.label_count, p.labels_per_sample,
              CASE WHEN p.multi_label AND jsonb_typeof(i.value) = 'string'
                   THEN jsonb_build_array(i.value) ELSE i.value END AS value,
              CASE
                WHEN i.kind = 'skip' THEN true
                WHEN p.multi_label THEN jsonb_typeof(i.value) IN ('array', 'string')
                                        AND p.options @> i.value
                ELSE jsonb_typeof(i.value) = 'string' AND p.options @> jsonb_build_array(i.value)
              END AS value_ok
       FROM samples s JOIN projects p ON p.id = s.project_id CROSS JOIN input i
       WHERE s.id = i.sample_id AND NOT EXISTS (SELECT 1 FROM replay)
       FOR UPDATE OF s
     ), ticket AS (
       SELECT h.id, h.model_version,
              floor(extract(epoch FROM now() - h.handed_at) * 1000)::int AS elapsed_ms
       FROM handouts h CROSS JOIN input i
       WHERE h.sample_id = i.sample_id AND h.labeller = i.labeller
       ORDER BY h.handed_at DESC, h.id DESC
       LIMIT 1
     ), inserted AS (
       INSERT INTO labels (project_id, sample_id, labeller, kind, value, conflict, time_spent_ms,
                           model_version, client_key, handout_id)
       SELECT i.project_id, i.sample_id, i.labeller, i.kind,
              CASE WHEN i.kind = 'label' THEN t.value END,
              i.kind = 'label' AND t.label_count >= t.labels_per_sample,
              k.elapsed_ms, k.model_version, i.client_key, k.id
       FROM input i, target t, ticket k
       WHERE t.project_id = i.project_id AND t.value_ok
       ON CONFLICT (handout_id) DO NOTHING
       RETURNING id, kind, conflict
     ), counted AS (
       UPDATE samples s SET
         label_count = s.label_count
           + CASE WHEN n.kind = 'label' AND NOT n.conflict THEN 1 ELSE 0 END,
         status = CASE WHEN n.kind = 'label' AND NOT n.conflict
                        AND s.label_count + 1 >= t.labels_per_sample THEN 'done' ELSE s.status END,
         lease_owner = CASE WHEN s.lease_owner = i.labeller THEN NULL ELSE s.lease_owner END,
         lease_expires_at = CASE WHEN s.lease_owner = i.labeller THEN NULL
                                 ELSE s.lease_expires_at END
       FROM inserted n, target t, input i
       WHERE s.id = i.sample_id
     )
     SELECT (SELECT id FROM replay) AS replay_id,
            (SELECT conflict FROM replay) AS replay_conflict,
            (SELECT project_id FROM target) AS project_id,
            (SELECT value_ok FROM target) AS value_ok,
            (SELECT id FROM ticket) AS handout_id,
            (SELECT id FROM inserted) AS label_id,
            (SELECT conflict FROM inserted) AS conflict`,
    [sampleId, projectId, labeller, kind, value === null ? null : JSON.stringify(value), clientKey],
  );
  const row = result.rows[0];
  if (!row) throw new Error('answer statement returned no row');
  return row;
}
