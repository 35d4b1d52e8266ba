import type { Knex } from 'knex';

/**
 * Two kinds of known answers, both append-only (every decision is a row; the newest row per
 * project and sample is in force, so the history of who decided what, when, is kept):
 * - label_reviews: a reviewer confirmed or corrected an image's final label; in force, it
 *   overrides the labellers' answers in final labels and training.
 * - gold_labels: an admin's known answer for an image (a null value retires it); the queue mixes
 *   gold images into each labeller's stream (handouts.gold marks those hand-outs) at the
 *   project's gold_share, and answers on them measure each labeller's accuracy.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE label_reviews (
      id bigserial PRIMARY KEY,
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      sample_id bigint NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
      reviewer text NOT NULL,
      value jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX label_reviews_latest_idx ON label_reviews (project_id, sample_id, id DESC);
    CREATE VIEW reviewed_labels AS
      SELECT DISTINCT ON (project_id, sample_id) id, project_id, sample_id, reviewer, value, created_at
      FROM label_reviews
      ORDER BY project_id, sample_id, id DESC;
    COMMENT ON TABLE label_reviews IS 'Append-only: a reviewer confirming or correcting an image''s final label; the newest row per sample is in force and overrides the answers.';

    CREATE TABLE gold_labels (
      id bigserial PRIMARY KEY,
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      sample_id bigint NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
      value jsonb,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX gold_labels_latest_idx ON gold_labels (project_id, sample_id, id DESC);
    CREATE VIEW gold_in_force AS
      SELECT project_id, sample_id, value
      FROM (
        SELECT DISTINCT ON (project_id, sample_id) project_id, sample_id, value
        FROM gold_labels
        ORDER BY project_id, sample_id, id DESC
      ) latest
      WHERE value IS NOT NULL;
    COMMENT ON TABLE gold_labels IS 'Append-only: known answers (gold) for images; the newest row per sample is in force, a null value retires it.';

    ALTER TABLE handouts ADD COLUMN gold boolean NOT NULL DEFAULT false;
    ALTER TABLE projects ADD COLUMN gold_share real NOT NULL DEFAULT 0.1
      CHECK (gold_share >= 0 AND gold_share <= 0.5);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE projects DROP COLUMN gold_share;
    ALTER TABLE handouts DROP COLUMN gold;
    DROP VIEW gold_in_force; DROP TABLE gold_labels;
    DROP VIEW reviewed_labels; DROP TABLE label_reviews;
  `);
}
