import type { Knex } from 'knex';

/**
 * Drops samples_content_hash_idx: nothing looks samples up by content_hash alone (the feature
 * cache is keyed by content_hash in feature_cache's own primary key; samples reach it through
 * a join that starts from samples by project). It only cost writes: every priority write is a
 * non-HOT update (priority is in samples_handout_idx), so each updated row also inserted a
 * 64-character random key into this index, a large share of a priority write's time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX samples_content_hash_idx`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX samples_content_hash_idx ON samples (content_hash)`);
}
