/**
 * The WHERE clause of "samples this labeller may be handed now", for the lock-free look-alike of
 * the hand-out (hasEligibleSample). The hand-out itself, db/src/sql/lease_samples.sql, spells
 * the same clause out: change both together.
 * Bindings, in order: project id, labeller. Alias `s` is samples.
 * "Not answered by this labeller" is a scalar subquery on purpose: with NOT EXISTS the planner
 * may turn it into an anti join over all of the project's labels, which grows with every
 * label; a subplan can only probe labels(sample_id, labeller) for the few candidates the index
 * scan reaches.
 */
export const ELIGIBLE_FOR_LABELLER = `
  s.project_id = ? AND s.status = 'open'
  AND (s.lease_expires_at IS NULL OR s.lease_expires_at <= now())
  AND (SELECT l.id FROM labels l
       WHERE l.sample_id = s.id AND l.labeller = ? AND l.kind IN ('label', 'skip')
         AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
       LIMIT 1) IS NULL`;
