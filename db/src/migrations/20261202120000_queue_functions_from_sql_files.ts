import type { Knex } from 'knex';
import { readSqlFile } from '../sqlFiles';
import * as queueBatchFunctions from './20261123145000_queue_batch_functions';

/**
 * lease_samples and answer_samples from their files under db/src/sql/, where their source now
 * lives: the same code as migration 20261123145000, with their comments rewritten (that one's
 * COMMENT ON FUNCTION named a TypeScript function that no longer exists).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(await readSqlFile('lease_samples'));
  await knex.raw(await readSqlFile('answer_samples'));
}

/** Back to the functions as 20261123145000 created them. */
export async function down(knex: Knex): Promise<void> {
  await queueBatchFunctions.down(knex);
  await queueBatchFunctions.up(knex);
}
