import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from './testing/testPostgres';
import * as dropContentHashIndex from './migrations/20261123131000_drop_samples_content_hash_idx';

test('samples carries only the indexes its queries use; the drop migration goes down and up', async () => {
  const db = await createTestDatabase();
  try {
    const indexes = async () =>
      (
        await db.knex.raw<{ rows: { indexname: string }[] }>(
          `SELECT indexname FROM pg_indexes WHERE tablename = 'samples'`,
        )
      ).rows
        .map((r) => r.indexname)
        .sort();
    const latest = ['samples_handout_idx', 'samples_pkey', 'samples_project_id_source_uri_key'];
    assert.deepEqual(await indexes(), latest);
    await dropContentHashIndex.down(db.knex);
    assert.deepEqual(await indexes(), [...latest, 'samples_content_hash_idx'].sort());
    await dropContentHashIndex.up(db.knex);
    assert.deepEqual(await indexes(), latest);
  } finally {
    await db.destroy();
  }
});
