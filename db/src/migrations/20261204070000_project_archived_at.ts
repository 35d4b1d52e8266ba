import type { Knex } from 'knex';

/**
 * An admin archives a project to take it off the labelling page and the project lists without
 * deleting anything: its images, answers and models stay, and unarchiving brings it back.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE projects ADD COLUMN archived_at timestamptz;
    COMMENT ON COLUMN projects.archived_at IS 'When an admin archived the project (hidden from lists and labellers); NULL: active.';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE projects DROP COLUMN archived_at;`);
}
