import type { Knex } from 'knex';

/**
 * Two orchestrator columns:
 * - retrain_jobs.recoveries: how many earlier runs of this work ended with their orchestrator
 *   dead (no heartbeat). A job that kills its process (out of memory on a huge pool, a native
 *   crash) would otherwise be recovered and rerun forever; recovery copies the count + 1 onto
 *   the requeued job and gives up at a limit (recoverStaleRetrainJobs).
 * - projects.input_spec: the size the model sees ({ width, height, channels }). NULL until the
 *   first retrain derives one from the project's images and stores it, so an admin can set it
 *   beforehand and a derived one never changes under a project's models by itself.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE retrain_jobs
      ADD COLUMN recoveries integer NOT NULL DEFAULT 0 CHECK (recoveries >= 0);
    COMMENT ON COLUMN retrain_jobs.recoveries IS
      'Earlier runs of this work whose orchestrator died mid-job; recovery gives up at a limit.';
    ALTER TABLE projects ADD COLUMN input_spec jsonb
      CHECK (input_spec IS NULL OR jsonb_typeof(input_spec) = 'object');
    COMMENT ON COLUMN projects.input_spec IS
      'Model input { width, height, channels: 1|3 }; NULL: derived from the images at the first retrain.';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE projects DROP COLUMN input_spec;
    ALTER TABLE retrain_jobs DROP COLUMN recoveries;
  `);
}
