import type { Knex } from 'knex';
import { readSqlFile } from '../sqlFiles';
import * as queueFunctionsFromSqlFiles from './20261202120000_queue_functions_from_sql_files';

/**
 * The queue functions learn gold: lease_samples mixes gold images into each labeller's stream
 * at the project's gold_share (hand-outs marked gold, no lease), answer_samples neither counts
 * an answer to a gold hand-out nor calls it a conflict.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(await readSqlFile('lease_samples'));
  await knex.raw(await readSqlFile('answer_samples'));
}

/** Back to the functions without gold (the same code 20261202120000 applied). */
export async function down(knex: Knex): Promise<void> {
  await queueFunctionsFromSqlFiles.down(knex);
}
