import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from './testing/testPostgres';
import { createProject } from './operations/projects/createProject';
import { findExistingSourceUris } from './operations/samples/findExistingSourceUris';
import { insertSamples, type NewSample } from './operations/samples/insertSamples';
import * as dropContentHashIndex from './migrations/20261123131000_drop_samples_content_hash_idx';
import * as sampleSources from './migrations/20261130090000_sample_sources';

const sample = (sourceUri: string, contentHash = 'h'): NewSample => ({
  sourceUri,
  contentHash,
  width: 1,
  height: 1,
  byteSize: 1,
});

test('samples carries only the indexes its queries use; the drop migrations go down and up', async () => {
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
    const latest = ['samples_handout_idx', 'samples_pkey', 'samples_project_brin'];
    assert.deepEqual(await indexes(), latest);
    await dropContentHashIndex.down(db.knex);
    assert.deepEqual(await indexes(), [...latest, 'samples_content_hash_idx'].sort());
    await dropContentHashIndex.up(db.knex);
    await sampleSources.down(db.knex);
    assert.deepEqual(await indexes(), [
      'samples_handout_idx',
      'samples_pkey',
      'samples_project_id_source_uri_key',
    ]);
    await sampleSources.up(db.knex);
    assert.deepEqual(await indexes(), latest);
  } finally {
    await db.destroy();
  }
});

test('sample_sources migration carries existing samples over, and a URI stays unique per project', async () => {
  const db = await createTestDatabase();
  try {
    const a = await createProject({ tx: db.knex, project: { name: 'a', options: ['x', 'y'] } });
    const b = await createProject({ tx: db.knex, project: { name: 'b', options: ['x', 'y'] } });
    await sampleSources.down(db.knex);
    await db.knex.raw(
      `INSERT INTO samples (project_id, source_uri, content_hash, width, height, byte_size)
       VALUES (?, '/old.png', 'h', 1, 1, 1)`,
      [a.id],
    );
    await sampleSources.up(db.knex);
    assert.deepEqual(
      await findExistingSourceUris({ tx: db.knex, projectId: a.id, uris: ['/old.png', '/x'] }),
      new Set(['/old.png']),
      'a sample from before the migration is known by its URI',
    );

    // A re-import of /old.png, a URI given twice (the first counts) and two new ones.
    const added = await insertSamples({
      tx: db.knex,
      projectId: a.id,
      samples: [
        sample('/z.png', 'first'),
        sample('/old.png'),
        sample('/a.png'),
        sample('/z.png', 'second'),
      ],
    });
    assert.equal(added, 2);
    const rows = await db.knex('samples').where({ project_id: a.id }).orderBy('id');
    assert.deepEqual(
      rows.map((r: { source_uri: string; content_hash: string }) => [r.source_uri, r.content_hash]),
      [
        ['/old.png', 'h'],
        ['/z.png', 'first'],
        ['/a.png', 'h'],
      ],
      'new samples get ids in input order; the first of a repeated URI is kept',
    );
    // The same URI in another project is another sample.
    assert.equal(
      await insertSamples({ tx: db.knex, projectId: b.id, samples: [sample('/a.png')] }),
      1,
    );
    const sources = await db.knex.raw<{ rows: { n: number; unmatched: number }[] }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE s.source_uri IS DISTINCT FROM src.source_uri
                                  OR s.project_id IS DISTINCT FROM src.project_id)::int AS unmatched
       FROM sample_sources src LEFT JOIN samples s ON s.id = src.sample_id`,
    );
    assert.deepEqual(
      sources.rows[0],
      { n: 4, unmatched: 0 },
      'one source row per sample, matching',
    );
  } finally {
    await db.destroy();
  }
});
