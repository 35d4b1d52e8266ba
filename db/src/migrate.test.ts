import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from './testing/testPostgres';
import { migrateDownAll, migrateLatest } from './migrate';
import { readSqlFile, type SqlFile } from './sqlFiles';

test('migrations go down and up again, and concurrent migrators do not clash', async () => {
  const db = await createTestDatabase();
  try {
    const tables = async () =>
      (
        await db.knex.raw<{ rows: { tablename: string }[] }>(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%' ORDER BY 1`,
        )
      ).rows.map((r) => r.tablename);
    const all = [
      'feature_cache',
      'gold_labels',
      'handouts',
      'label_reviews',
      'labeller_exclusions',
      'labels',
      'models',
      'projects',
      'retrain_jobs',
      'sample_sources',
      'samples',
    ];
    assert.deepEqual(await tables(), all);
    await migrateDownAll(db.knex);
    assert.deepEqual(await tables(), []);
    // Two migrators at once: the advisory lock makes the second wait, then find nothing to do.
    const [a, b] = await Promise.all([migrateLatest(db.knex), migrateLatest(db.knex)]);
    // One applies every migration, the other none (not a count: migrations are appended).
    assert.equal(Math.min(a.length, b.length), 0);
    assert.ok(Math.max(a.length, b.length) >= 1);
    assert.deepEqual(await tables(), all);
    const comment = await db.knex.raw<{ rows: { c: string | null }[] }>(
      `SELECT col_description('samples'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'samples'::regclass AND attname = 'lease_expires_at')) AS c`,
    );
    assert.match(comment.rows[0]?.c ?? '', /lease/);
    // The queue functions in the database are their files' text, comments included.
    for (const name of ['lease_samples', 'answer_samples'] satisfies SqlFile[]) {
      const fn = await db.knex.raw<{ rows: { src: string; about: string | null }[] }>(
        `SELECT prosrc AS src, obj_description(oid, 'pg_proc') AS about FROM pg_proc WHERE proname = ?`,
        [name],
      );
      const file = await readSqlFile(name);
      assert.equal(fn.rows.length, 1, name);
      assert.equal(fn.rows[0]?.src, /\$fn\$([\s\S]*)\$fn\$/.exec(file)?.[1], name);
      assert.ok(fn.rows[0]?.about && file.includes(fn.rows[0].about.replaceAll("'", "''")), name);
    }
  } finally {
    await db.destroy();
  }
});
