import type { Knex } from 'knex';
import { ADVISORY_LOCKS, withAdvisoryLock } from './advisoryLock';
import * as initialSchema from './migrations/20261123110000_initial_schema';
import * as oneRunningRetrain from './migrations/20261123120000_one_running_retrain_per_project';
import * as labelsAnswerHandouts from './migrations/20261123130000_labels_answer_handouts';
import * as dropContentHashIndex from './migrations/20261123131000_drop_samples_content_hash_idx';
import * as recoveriesAndInputSpec from './migrations/20261123140500_retrain_recoveries_and_input_spec';
import * as projectImageDelivery from './migrations/20261123142000_project_image_delivery';
import * as queueBatchFunctions from './migrations/20261123145000_queue_batch_functions';
import * as sampleSources from './migrations/20261130090000_sample_sources';
import * as queueFunctionsFromSqlFiles from './migrations/20261202120000_queue_functions_from_sql_files';
import * as projectImagePage from './migrations/20261204060000_project_image_page';
import * as projectArchivedAt from './migrations/20261204070000_project_archived_at';
import * as labellerExclusions from './migrations/20261204080000_labeller_exclusions';
import * as reviewsAndGold from './migrations/20261204090000_reviews_and_gold';
import * as goldHandouts from './migrations/20261204100000_gold_handouts';

interface Migration {
  up: (knex: Knex) => Promise<void>;
  down: (knex: Knex) => Promise<void>;
}

/** Migrations in order. Append only: a shipped migration is never edited. */
const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['20261123110000_initial_schema', initialSchema],
  ['20261123120000_one_running_retrain_per_project', oneRunningRetrain],
  ['20261123130000_labels_answer_handouts', labelsAnswerHandouts],
  ['20261123131000_drop_samples_content_hash_idx', dropContentHashIndex],
  ['20261123140500_retrain_recoveries_and_input_spec', recoveriesAndInputSpec],
  ['20261123142000_project_image_delivery', projectImageDelivery],
  ['20261123145000_queue_batch_functions', queueBatchFunctions],
  ['20261130090000_sample_sources', sampleSources],
  ['20261202120000_queue_functions_from_sql_files', queueFunctionsFromSqlFiles],
  ['20261204060000_project_image_page', projectImagePage],
  ['20261204070000_project_archived_at', projectArchivedAt],
  ['20261204080000_labeller_exclusions', labellerExclusions],
  ['20261204090000_reviews_and_gold', reviewsAndGold],
  ['20261204100000_gold_handouts', goldHandouts],
];

const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: ([name]) => name,
  getMigration: ([, migration]) => Promise.resolve(migration),
};

// Knex's own lock table makes a second migrator fail rather than wait; an advisory lock makes
// it wait and then find nothing to do.
const withMigrationLock = <T>(knex: Knex, fn: () => Promise<T>) =>
  withAdvisoryLock(knex, ADVISORY_LOCKS.migrations, fn);

/** Applies every pending migration; safe when several processes call it at once. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  return withMigrationLock(knex, async () => {
    const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
    return applied;
  });
}

/** Rolls back every migration (used by the migration round-trip test). */
export async function migrateDownAll(knex: Knex): Promise<void> {
  await withMigrationLock(knex, async () => {
    await knex.migrate.rollback({ migrationSource }, true);
  });
}
