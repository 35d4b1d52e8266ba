import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { labelSample, nextSample } from '../../queue';
import { createTestDatabase, type TestDatabase } from '../../testing/testPostgres';
import { seedQueueProject } from '../../testing/fixtures';
import { insertFeatures } from './insertFeatures';
import { listTakenSampleFeatures } from './listTakenSampleFeatures';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.destroy();
});

test('taken samples: labelled or leased training samples, except the given ids', async () => {
  const { projectId } = await seedQueueProject(db.knex, {
    count: 6,
    priorities: (i) => 6 - i,
  });
  const samples = await db
    .knex('samples')
    .where({ project_id: projectId })
    .orderBy('id')
    .select<{ id: number; content_hash: string }[]>('id', 'content_hash');
  const ids = samples.map((s) => s.id);
  // Every sample but the last has features; the fourth is held out.
  await insertFeatures({
    tx: db.knex,
    spec: 'test',
    features: samples.slice(0, 5).map((s, i) => ({
      contentHash: s.content_hash,
      data: Buffer.from([i]),
    })),
  });
  await db.knex('samples').where({ id: ids[3] }).update({ split: 'eval' });
  await db.knex('samples').where({ id: ids[5] }).update({ priority: 10 });

  // Hand-outs in priority order: the featureless one, then 0..3; 0..2 and the held-out 3 are
  // answered, 4 stays leased.
  const answered: number[] = [];
  for (let k = 0; k < 6; k++) {
    const sample = await nextSample(db.knex, { projectId, labeller: `l${k}`, ttlSeconds: 60 });
    assert.ok(sample);
    if (sample.id === ids[4]) continue;
    await labelSample(db.knex, { projectId, sampleId: sample.id, labeller: `l${k}`, value: 'cat' });
    answered.push(sample.id);
  }
  const taken = (exceptIds: number[]) =>
    listTakenSampleFeatures({ tx: db.knex, projectId, spec: 'test', exceptIds });
  const all = await taken([]);
  assert.deepEqual(
    all.map((r) => r.id),
    [ids[0], ids[1], ids[2], ids[4]],
    'labelled or leased training samples with features',
  );
  assert.deepEqual([...(all[3]?.data ?? [])], [4], 'with their cached pixels');
  assert.deepEqual(
    (await taken([ids[0] ?? 0, ids[2] ?? 0])).map((r) => r.id),
    [ids[1], ids[4]],
    'the labels a retrain read are left out',
  );
  assert.equal(answered.length, 5);
});
