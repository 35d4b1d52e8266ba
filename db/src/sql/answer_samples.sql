-- answer_samples: labels and skips of a batch of labellers in one round trip and one commit.
--
-- Item k is appended as the answer to labeller k's latest hand-out of sample k, one statement
-- per item (so no transaction stays open across client round trips). The sample row is locked
-- (FOR UPDATE re-reads its latest version), so the count and the conflict flag see every label
-- committed before; the unique index on labels.handout_id turns a second answer to the same
-- hand-out into ON CONFLICT DO NOTHING, whatever the statement's snapshot saw. A label counts
-- unless the sample already has all wanted labels (then it is kept as a conflict); a skip never
-- counts; either ends the labeller's lease on the sample. An answer to a gold hand-out is
-- neither counted nor a conflict (the image has its known answer; the labeller must not be able
-- to tell it from any other). A client key the labeller already
-- used returns that first row instead (a resend). Row k of the result reports what item k
-- found, so the caller can tell which check failed. Callers pass items in sample-id order, so
-- two batches lock their rows in one order and cannot deadlock each other.
CREATE OR REPLACE FUNCTION answer_samples(p_sample_ids bigint[], p_project_ids integer[], p_labellers text[],
                                          p_kinds text[], p_values jsonb[], p_client_keys text[])
RETURNS TABLE (ord integer, replay_id bigint, replay_conflict boolean, project_id integer,
               value_ok boolean, handout_id bigint, label_id bigint, conflict boolean)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
BEGIN
  FOR item IN 1 .. coalesce(array_length(p_sample_ids, 1), 0) LOOP
    RETURN QUERY
    WITH input AS (
      SELECT p_sample_ids[item] AS sample_id, p_project_ids[item] AS project_id,
             p_labellers[item] AS labeller, p_kinds[item] AS kind, p_values[item] AS value,
             p_client_keys[item] AS client_key
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
      SELECT h.id, h.model_version, h.gold,
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
             i.kind = 'label' AND NOT k.gold AND t.label_count >= t.labels_per_sample,
             k.elapsed_ms, k.model_version, i.client_key, k.id
      FROM input i, target t, ticket k
      WHERE t.project_id = i.project_id AND t.value_ok
      ON CONFLICT (handout_id) DO NOTHING
      RETURNING labels.id, labels.kind, labels.conflict
    ), counted AS (
      UPDATE samples s SET
        label_count = s.label_count
          + CASE WHEN n.kind = 'label' AND NOT n.conflict AND NOT k.gold THEN 1 ELSE 0 END,
        status = CASE WHEN n.kind = 'label' AND NOT n.conflict AND NOT k.gold
                       AND s.label_count + 1 >= t.labels_per_sample THEN 'done' ELSE s.status END,
        lease_owner = CASE WHEN s.lease_owner = i.labeller THEN NULL ELSE s.lease_owner END,
        lease_expires_at = CASE WHEN s.lease_owner = i.labeller THEN NULL
                                ELSE s.lease_expires_at END
      FROM inserted n, target t, input i, ticket k
      WHERE s.id = i.sample_id
    )
    SELECT item,
           (SELECT r.id FROM replay r), (SELECT r.conflict FROM replay r),
           (SELECT t.project_id FROM target t), (SELECT t.value_ok FROM target t),
           (SELECT k.id FROM ticket k),
           (SELECT n.id FROM inserted n), (SELECT n.conflict FROM inserted n);
  END LOOP;
END
$fn$;

COMMENT ON FUNCTION answer_samples(bigint[], integer[], text[], text[], jsonb[], text[]) IS
  'Appends label/skip k as the answer to labeller k''s latest hand-out of sample k (checks: sample in the project, value among its options, hand-out not yet answered; a used client key replays its first row); row k of the result reports item k.';
