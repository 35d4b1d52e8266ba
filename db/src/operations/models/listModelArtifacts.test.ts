import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../testing/testPostgres';
import { seedQueueProject } from '../../testing/fixtures';
import { insertModelVersion } from '../../index';
import { listModelArtifacts } from './listModelArtifacts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.destroy();
});

test("every version of one project with its artifacts, oldest first, none of another project's", async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 1 });
  const other = await seedQueueProject(db.knex, { count: 1 });
  for (const trainedOn of [20, 70]) {
    await insertModelVersion({
      tx: db.knex,
      projectId,
      trainedOn,
      metrics: { accuracy: 0.5 },
      backend: 'cpu',
      artifacts: { weights: `w${trainedOn}` },
    });
  }
  await insertModelVersion({
    tx: db.knex,
    projectId: other.projectId,
    trainedOn: 5,
    metrics: {},
    backend: 'cpu',
    artifacts: { weights: 'other' },
  });
  assert.deepEqual(await listModelArtifacts({ tx: db.knex, projectId }), [
    { version: 1, trained_on: 20, artifacts: { weights: 'w20' } },
    { version: 2, trained_on: 70, artifacts: { weights: 'w70' } },
  ]);
});
