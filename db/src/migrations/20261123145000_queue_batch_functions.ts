import type { Knex } from 'knex';

/**
 * The hand-out and the answer (label or skip) as PL/pgSQL functions that take arrays, so a
 * server can coalesce the concurrent requests of many labellers into one round trip and one
 * commit, and so their plans are cached per connection instead of planned on every call
 * (planning is a large share of a hand-out's CPU).
 * answer_samples runs the former single-statement insertAnswer once per item; lease_samples
 * takes the batch's candidates in one walk of the hand-out index and gives each labeller the
 * best one they may have, falling back to the former single hand-out statement. Each statement
 * gets a fresh snapshot (READ COMMITTED, volatile function), so item k sees items 1..k-1.
 *
 * lease_samples commits asynchronously (synchronous_commit = off, local to its transaction).
 * Safe for labels: a label answers a hand-out it read as committed, so the hand-out's commit
 * record precedes the label's in the WAL, and WAL is flushed in order: once the label's commit
 * is durable (it is acked only then), so is its hand-out. A Postgres crash can lose only
 * hand-outs nobody has answered yet, i.e. leases, which are soft state and lapse anyway.
 * Call it in a transaction of its own (the setting would cover anything committed with it).
 * A hand-out then never queues behind a WAL flush.
 */
// Longer than 80 lines: the functions' SQL as released. Migrations are append-only and never
// edited after release; their source now lives in db/src/sql (20261202120000).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION lease_samples(p_project integer, p_labellers text[], p_ttl_seconds double precision)
    RETURNS TABLE (ord integer, handout_id bigint, handout_model_version integer, sample samples)
    LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE
      v_count integer := coalesce(array_length(p_labellers, 1), 0);
      v_candidates bigint[];
      v_labeller text;
      v_id bigint;
      v_owner text;
      v_expires timestamptz;
    BEGIN
      PERFORM set_config('synchronous_commit', 'off', true);
      IF v_count = 0 THEN RETURN; END IF;
      SELECT max(m.version) INTO handout_model_version FROM models m WHERE m.project_id = p_project;
      -- One walk down the head of the hand-out index for the whole batch: the head is where every
      -- live lease and every dead row version of the churn sits, and walking past them once per
      -- labeller cost most of a hand-out (batch of 64 at 200 labellers: ~0.3 ms each). Twice the
      -- batch leaves room for candidates some labellers already answered; unassigned ones stay
      -- locked only until this transaction commits, a moment later.
      SELECT array_agg(c.id ORDER BY c.priority DESC, c.id) INTO v_candidates
      FROM (SELECT s.id, s.priority FROM samples s
            WHERE s.project_id = p_project AND s.status = 'open'
              AND (s.lease_expires_at IS NULL OR s.lease_expires_at <= now())
            ORDER BY s.priority DESC, s.id
            LIMIT v_count * 2
            FOR UPDATE OF s SKIP LOCKED) c;
      FOR i IN 1 .. v_count LOOP
        v_labeller := p_labellers[i];
        v_id := NULL;
        -- The best candidate not yet given out in this batch and not answered by this labeller.
        FOR j IN 1 .. coalesce(array_length(v_candidates, 1), 0) LOOP
          CONTINUE WHEN v_candidates[j] IS NULL;
          IF (SELECT l.id FROM labels l
              WHERE l.sample_id = v_candidates[j] AND l.labeller = v_labeller
                AND l.kind IN ('label', 'skip')
                AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
              LIMIT 1) IS NULL THEN
            v_id := v_candidates[j];
            v_candidates[j] := NULL;
            EXIT;
          END IF;
        END LOOP;
        IF v_id IS NULL THEN
          -- This labeller answered every candidate: search on alone (the single hand-out's
          -- statement; rows this batch took are leased now and fail its lease check).
          SELECT s.id INTO v_id
          FROM samples s
          WHERE s.project_id = p_project AND s.status = 'open'
            AND (s.lease_expires_at IS NULL OR s.lease_expires_at <= now())
            AND (SELECT l.id FROM labels l
                 WHERE l.sample_id = s.id AND l.labeller = v_labeller AND l.kind IN ('label', 'skip')
                   AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
                 LIMIT 1) IS NULL
          ORDER BY s.priority DESC, s.id
          LIMIT 1
          FOR UPDATE OF s SKIP LOCKED;
          CONTINUE WHEN NOT FOUND;
        END IF;
        SELECT s.lease_owner, s.lease_expires_at INTO v_owner, v_expires FROM samples s
        WHERE s.id = v_id;
        UPDATE samples s
        SET lease_owner = v_labeller, lease_expires_at = now() + make_interval(secs => p_ttl_seconds)
        WHERE s.id = v_id
        RETURNING s.* INTO sample;
        INSERT INTO handouts (project_id, sample_id, labeller, model_version, replaced_owner,
                              replaced_expires_at)
        VALUES (p_project, v_id, v_labeller, handout_model_version, v_owner, v_expires)
        RETURNING handouts.id INTO handout_id;
        ord := i;
        RETURN NEXT;
      END LOOP;
    END
    $fn$;
    COMMENT ON FUNCTION lease_samples(integer, text[], double precision) IS
      'Leases the next sample to each labeller in turn (row k of the result answers labeller k; none when nothing is left for them). Commits asynchronously: call in a transaction of its own.';

    CREATE FUNCTION answer_samples(p_sample_ids bigint[], p_project_ids integer[], p_labellers text[],
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
          RETURNING labels.id, labels.kind, labels.conflict
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
        SELECT item,
               (SELECT r.id FROM replay r), (SELECT r.conflict FROM replay r),
               (SELECT t.project_id FROM target t), (SELECT t.value_ok FROM target t),
               (SELECT k.id FROM ticket k),
               (SELECT n.id FROM inserted n), (SELECT n.conflict FROM inserted n);
      END LOOP;
    END
    $fn$;
    COMMENT ON FUNCTION answer_samples(bigint[], integer[], text[], text[], jsonb[], text[]) IS
      'Appends label/skip k as the answer to labeller k''s latest hand-out of sample k, with the checks of insertAnswer; row k of the result reports item k.';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP FUNCTION answer_samples(bigint[], integer[], text[], text[], jsonb[], text[]);
    DROP FUNCTION lease_samples(integer, text[], double precision);
  `);
}
