import type { Knex } from 'knex';

/**
 * Each label or skip answers one hand-out (the labeller's latest of that sample). A unique
 * index on that reference lets a label be written in one statement, with no transaction held
 * open across client round trips: two answers to the same hand-out (double submit, stale tab)
 * cannot both land, whatever their snapshots saw. An undo issues a fresh hand-out.
 * Each hand-out also records the lease it replaced, as read under the row lock: the audit trail
 * that proves (and tests check) no live lease was ever taken over.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE labels ADD COLUMN handout_id bigint REFERENCES handouts(id) ON DELETE CASCADE;
    COMMENT ON COLUMN labels.handout_id IS 'For kind label/skip: the hand-out this row answers; at most one row per hand-out.';
    CREATE UNIQUE INDEX labels_handout_idx ON labels (handout_id);
    ALTER TABLE handouts ADD COLUMN replaced_owner text, ADD COLUMN replaced_expires_at timestamptz;
    COMMENT ON COLUMN handouts.replaced_owner IS 'Holder of the lease this hand-out replaced (lapsed or released but not cleared); null when the sample was free.';
    COMMENT ON COLUMN handouts.replaced_expires_at IS 'Expiry of that replaced lease; never later than handed_at.';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE handouts DROP COLUMN replaced_owner, DROP COLUMN replaced_expires_at;
    DROP INDEX labels_handout_idx;
    ALTER TABLE labels DROP COLUMN handout_id;
  `);
}
