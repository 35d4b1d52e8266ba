-- lease_samples: the hand-out of a batch of labellers in one round trip and one commit.
--
-- Row k of the result leases a sample to labeller k (no row when nothing is left for them):
-- the highest-priority open sample without a live lease (database clock) that the labeller has
-- no label or skip in force on. Taking arrays lets a server coalesce the concurrent hand-outs of
-- many labellers into one call, and as a function its plans are cached per connection instead
-- of planned on every call. Each statement inside gets a fresh snapshot (READ COMMITTED,
-- volatile function), so hand-out k sees hand-outs 1..k-1.
--
-- Gold: at the project's gold_share, a labeller's hand-out is instead a gold image (a known
-- answer, gold_in_force) never handed to them before, whatever its status or lease: gold images
-- leave the normal queue (their status is 'done') and are shared by everyone, so their
-- hand-outs take no lease. The row looks like any other; only handouts.gold remembers.
--
-- Commits asynchronously (synchronous_commit = off, local to its transaction), so a hand-out
-- never queues behind a WAL flush. Safe for labels: a label answers a hand-out it read as
-- committed, so the hand-out's commit record precedes the label's in the WAL, and WAL is
-- flushed in order; once the label is durable (it is acked only then), so is its hand-out. A
-- crash loses only hand-outs nobody has answered yet, i.e. leases, which lapse anyway. Call it
-- in a transaction of its own: the setting covers anything committed with it.
CREATE OR REPLACE FUNCTION lease_samples(p_project integer, p_labellers text[], p_ttl_seconds double precision)
RETURNS TABLE (ord integer, handout_id bigint, handout_model_version integer, sample samples)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_count integer := coalesce(array_length(p_labellers, 1), 0);
  v_candidates bigint[];
  v_labeller text;
  v_id bigint;
  v_owner text;
  v_expires timestamptz;
  v_gold_share real;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  IF v_count = 0 THEN RETURN; END IF;
  SELECT max(m.version) INTO handout_model_version FROM models m WHERE m.project_id = p_project;
  SELECT p.gold_share INTO v_gold_share FROM projects p WHERE p.id = p_project;
  -- One walk down the head of the hand-out index for the whole batch: the head is where every
  -- live lease and every dead row version of the churn sits, and walking past them once per
  -- labeller would cost most of a hand-out. Twice the batch leaves room for candidates some
  -- labellers already answered; unassigned ones stay locked only until this transaction
  -- commits, a moment later.
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
    IF v_gold_share > 0 AND random() < v_gold_share THEN
      SELECT g.sample_id INTO v_id FROM gold_in_force g
      WHERE g.project_id = p_project
        AND NOT EXISTS (SELECT 1 FROM handouts h
                        WHERE h.sample_id = g.sample_id AND h.labeller = v_labeller)
      ORDER BY random()
      LIMIT 1;
      IF v_id IS NOT NULL THEN
        SELECT s.* INTO sample FROM samples s WHERE s.id = v_id;
        INSERT INTO handouts (project_id, sample_id, labeller, model_version, gold)
        VALUES (p_project, v_id, v_labeller, handout_model_version, true)
        RETURNING handouts.id INTO handout_id;
        ord := i;
        RETURN NEXT;
        CONTINUE;
      END IF;
    END IF;
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
      -- This labeller answered every candidate: search on for them alone (rows this batch took
      -- are leased now and fail the lease check).
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
