import type { Knex } from 'knex';

/**
 * At most one running retrain job per project, enforced by Postgres rather than by the claim
 * query alone: two orchestrators claiming two different queued jobs of one project in the same
 * instant each see "nothing running" in their snapshot; with this index the second UPDATE to
 * 'running' fails (unique violation) and that orchestrator simply claims nothing this round.
 * The index holds only running rows (a handful), so it costs nothing on the hot tables.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE UNIQUE INDEX retrain_jobs_one_running_per_project_idx
      ON retrain_jobs (project_id) WHERE status = 'running';
    COMMENT ON INDEX retrain_jobs_one_running_per_project_idx IS
      'Two orchestrators never train one project at once: a second running job is refused.';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX retrain_jobs_one_running_per_project_idx;`);
}
