import type { Knex } from 'knex';

/**
 * Moves "one sample per source URI in a project" off `samples` into `sample_sources`, a table
 * written once per import and never updated. On `samples` the unique index cost every update
 * that is not HOT, and the hot ones are not: a priority write changes `priority` and a sample's
 * last label changes `status`, both in samples_handout_idx, so each such update also inserted a
 * (project_id, source_uri) key and ran a uniqueness check that visits the row's old version.
 * `samples.source_uri` stays (images are read from it); lookups by URI go through this table's
 * primary key.
 *
 * The unique index was also what per-project reads of `samples` (progress, stats, the pool) used
 * to skip other projects' rows. A BRIN index on project_id takes that over: imports write a
 * project's rows together, so page ranges hold one project each, and an update that keeps
 * project_id changes no summary, so it costs priority writes less than a btree on project_id
 * would, while a small project's totals still skip a big project's pages.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE sample_sources (
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      source_uri text NOT NULL,
      sample_id bigint NOT NULL UNIQUE REFERENCES samples(id) ON DELETE CASCADE,
      PRIMARY KEY (project_id, source_uri)
    );
    COMMENT ON TABLE sample_sources IS 'The sample of each source URI in a project (at most one): insert-only, so the uniqueness check costs imports, not queue updates.';
    INSERT INTO sample_sources (project_id, source_uri, sample_id)
      SELECT project_id, source_uri, id FROM samples;
    ALTER TABLE samples DROP CONSTRAINT samples_project_id_source_uri_key;
    -- Ranges are summarised by (auto)vacuum; autosummarize also queues each range as it fills.
    CREATE INDEX samples_project_brin ON samples USING brin (project_id) WITH (autosummarize = on);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX samples_project_brin;
    ALTER TABLE samples ADD CONSTRAINT samples_project_id_source_uri_key UNIQUE (project_id, source_uri);
    DROP TABLE sample_sources;
  `);
}
