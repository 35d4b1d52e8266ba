import type { Knex } from 'knex';

/**
 * An admin can leave a labeller's answers out of training and final labels without deleting
 * them: every change is a row (append-only, so the history of who was excluded when is kept),
 * the newest row per project and labeller is in force, and excluded_labellers names those whose
 * newest row excludes them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE labeller_exclusions (
      id bigserial PRIMARY KEY,
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      labeller text NOT NULL,
      excluded boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX labeller_exclusions_latest_idx
      ON labeller_exclusions (project_id, labeller, id DESC);
    CREATE VIEW excluded_labellers AS
      SELECT project_id, labeller
      FROM (
        SELECT DISTINCT ON (project_id, labeller) project_id, labeller, excluded
        FROM labeller_exclusions
        ORDER BY project_id, labeller, id DESC
      ) latest
      WHERE excluded;
    COMMENT ON TABLE labeller_exclusions IS 'Append-only: an admin excluding (or including again) a labeller''s answers from training and final labels; the newest row per project and labeller is in force.';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP VIEW excluded_labellers; DROP TABLE labeller_exclusions;`);
}
