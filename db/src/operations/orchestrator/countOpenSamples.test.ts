import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../testing/testPostgres';
import { seedQueueProject } from '../../testing/fixtures';
import { countOpenSamples } from './countOpenSamples';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.destroy();
});

test('open samples: done ones and other projects are not counted', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 7 });
  await seedQueueProject(db.knex, { count: 4 });
  const two = await db.knex('samples').where({ project_id: projectId }).orderBy('id').limit(2);
  await db
    .knex('samples')
    .whereIn(
      'id',
      two.map((s: { id: number }) => s.id),
    )
    .update({ status: 'done' });
  assert.equal(await countOpenSamples({ tx: db.knex, projectId }), 5);
  assert.equal(await countOpenSamples({ tx: db.knex, projectId: projectId + 1000 }), 0);
});
