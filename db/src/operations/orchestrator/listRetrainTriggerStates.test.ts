import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../../testing/testPostgres';
import { seedQueueProject } from '../../testing/fixtures';
import { insertGoldLabels } from '../gold/insertGoldLabels';
import { insertLabelReview } from '../reviews/insertLabelReview';
import { listRetrainTriggerStates } from './listRetrainTriggerStates';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.destroy();
});

test('new labels since the last finished job count review decisions and gold answers too', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 3 });
  const [s0, s1] = await db
    .knex('samples')
    .where({ project_id: projectId })
    .orderBy('id')
    .pluck<number[]>('id');
  assert.ok(s0 !== undefined && s1 !== undefined);
  const newLabels = async () =>
    (await listRetrainTriggerStates({ tx: db.knex })).find((s) => s.project_id === projectId)
      ?.new_labels;
  const review = (sampleId: number) =>
    insertLabelReview({ tx: db.knex, projectId, sampleId, reviewer: 'rita', value: 'cat' });

  // Before any job: every decision counts.
  await review(s0);
  assert.equal(await newLabels(), 1);

  // A job started after it: only what came later counts (one label, two decisions).
  await db.knex('retrain_jobs').insert({
    project_id: projectId,
    reason: 'admin',
    status: 'done',
    started_at: db.knex.raw("now() + interval '1 millisecond'"),
    finished_at: db.knex.raw("now() + interval '2 milliseconds'"),
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await db.knex('labels').insert({
    project_id: projectId,
    sample_id: s1,
    labeller: 'ann',
    kind: 'label',
    value: JSON.stringify('dog'),
  });
  await review(s0);
  await review(s1);
  assert.equal(await newLabels(), 3);
  await insertGoldLabels({
    tx: db.knex,
    projectId,
    items: [{ sampleId: s1, value: 'dog' }],
    createdBy: 'admin',
  });
  assert.equal(await newLabels(), 4);
});

test('a project counts as having open samples only once one still wants labels', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 0 });
  const state = async () =>
    (await listRetrainTriggerStates({ tx: db.knex })).find((s) => s.project_id === projectId);
  assert.equal((await state())?.has_open_samples, false, 'created, no sample imported yet');
  assert.equal((await state())?.never_ordered, true);
  const { projectId: other } = await seedQueueProject(db.knex, { count: 2 });
  const otherState = async () =>
    (await listRetrainTriggerStates({ tx: db.knex })).find((s) => s.project_id === other);
  assert.equal((await otherState())?.has_open_samples, true);
  await db.knex('samples').where({ project_id: other }).update({ status: 'done' });
  assert.equal((await otherState())?.has_open_samples, false, 'every sample done');
});
