import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../testing/testPostgres';
import { seedQueueProject } from '../../testing/fixtures';
import { insertModelVersion, listProjectModels } from '../../index';
import { listModelsToReevaluate } from './listModelsToReevaluate';
import { patchModelMetrics } from './patchModelMetrics';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.destroy();
});

async function addVersion(projectId: number, metrics: Record<string, unknown>) {
  await insertModelVersion({
    tx: db.knex,
    projectId,
    trainedOn: 10,
    metrics,
    backend: 'cpu',
    artifacts: { weights: JSON.stringify(metrics) },
  });
}

test('the versions measured on fewer held-out labels, newest first, never a failed one', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 1 });
  const other = await seedQueueProject(db.knex, { count: 1 });
  await addVersion(projectId, { accuracy: 0.5, evaluatedOn: 4 });
  await addVersion(projectId, { accuracy: null });
  await addVersion(projectId, { accuracy: 0.6, evaluatedOn: 8, reevaluationFailed: 'bad' });
  await addVersion(projectId, { accuracy: 0.7, evaluatedOn: 12 });
  await addVersion(projectId, { accuracy: 0.8, evaluatedOn: 9 });
  await addVersion(other.projectId, { accuracy: 0.5, evaluatedOn: 1 });

  const due = await listModelsToReevaluate({
    tx: db.knex,
    projectId,
    minEvaluatedOn: 10,
    limit: 5,
  });
  assert.deepEqual(
    due.map((m) => m.version),
    [5, 2, 1],
    'below 10 held-out labels: version 5 (9), 2 (never measured), 1 (4)',
  );
  assert.deepEqual(due[0]?.artifacts, {
    weights: JSON.stringify({ accuracy: 0.8, evaluatedOn: 9 }),
  });
  const limited = await listModelsToReevaluate({
    tx: db.knex,
    projectId,
    minEvaluatedOn: 10,
    limit: 2,
  });
  assert.deepEqual(
    limited.map((m) => m.version),
    [5, 2],
  );
});

test('a patch overwrites its keys and keeps the rest of the metrics', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 1 });
  await addVersion(projectId, { accuracy: 0.5, evaluatedOn: 4, trainedOn: 10, epochs: 7 });
  const [row] = await listModelsToReevaluate({
    tx: db.knex,
    projectId,
    minEvaluatedOn: 5,
    limit: 1,
  });
  assert.ok(row);
  await patchModelMetrics({
    tx: db.knex,
    modelId: row.id,
    patch: { accuracy: 0.75, evaluatedOn: 20 },
  });
  const [stored] = await listProjectModels({ tx: db.knex, projectId });
  assert.deepEqual(stored?.metrics, { accuracy: 0.75, evaluatedOn: 20, trainedOn: 10, epochs: 7 });
  assert.deepEqual(
    await listModelsToReevaluate({ tx: db.knex, projectId, minEvaluatedOn: 20, limit: 1 }),
    [],
    'measured on 20 now',
  );
});
