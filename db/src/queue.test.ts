import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from './testing/testPostgres';
import { seedQueueProject } from './testing/fixtures';
import { labelSample, nextSample, QueueError, skipSample, undoLast } from './queue';
import { releaseLeases } from './operations/queue/releaseLeases';
import { renewLeases } from './operations/queue/renewLeases';
import { getProjectProgress } from './operations/queue/getProjectProgress';
import { getSampleById } from './operations/samples/getSampleById';
import type { DbLabelRow } from './tables';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.destroy();
});

const TTL = 60;

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof QueueError && err.code === code);
}

test('hand-out follows priority, and a leased sample goes to nobody else', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 3, priorities: (i) => i });
  const a = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  const b = await nextSample(db.knex, { projectId, labeller: 'bob', ttlSeconds: TTL });
  const c = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.deepEqual(
    [a?.source_uri, b?.source_uri, c?.source_uri].map((u) => u?.split('/').pop()),
    ['2.png', '1.png', '0.png'],
  );
  assert.equal(
    await nextSample(db.knex, { projectId, labeller: 'cid', ttlSeconds: TTL }),
    undefined,
  );
  const progress = await getProjectProgress({ tx: db.knex, projectId });
  assert.deepEqual(progress, { total: 3, done: 0, labels: 0, wanted: 3, leased: 3 });
});

test('labelling closes the sample, records timing and model version, and is never handed out again', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 2 });
  const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.ok(s);
  const out = await labelSample(db.knex, {
    projectId,
    sampleId: s.id,
    labeller: 'ann',
    value: 'dog',
  });
  assert.equal(out.conflict, false);
  const row = await db.knex<DbLabelRow>('labels').where({ id: out.labelId }).first();
  assert.equal(row?.value, 'dog');
  assert.equal(row.labeller, 'ann');
  assert.ok((row.time_spent_ms ?? -1) >= 0);
  const sample = await getSampleById({ tx: db.knex, id: s.id });
  assert.equal(sample?.status, 'done');
  assert.equal(sample.lease_owner, null);
  const next = await nextSample(db.knex, { projectId, labeller: 'bob', ttlSeconds: TTL });
  assert.notEqual(next?.id, s.id);
  await rejectsWith(
    labelSample(db.knex, { projectId, sampleId: s.id, labeller: 'ann', value: 'cat' }),
    'ALREADY_LABELLED',
  );
});

test('bad labels are refused with a code and change nothing', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 2 });
  const other = await seedQueueProject(db.knex, { count: 1 });
  const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.ok(s);
  const before = await db.knex('labels').count<{ count: string }[]>('* as count');
  await rejectsWith(
    labelSample(db.knex, { projectId, sampleId: s.id, labeller: 'ann', value: 'horse' }),
    'INVALID_LABEL',
  );
  await rejectsWith(
    labelSample(db.knex, { projectId, sampleId: s.id, labeller: 'ann', value: ['cat'] }),
    'INVALID_LABEL',
  );
  await rejectsWith(
    labelSample(db.knex, { projectId, sampleId: s.id, labeller: 'eve', value: 'cat' }),
    'NOT_LEASED',
  );
  await rejectsWith(
    labelSample(db.knex, { projectId, sampleId: 987654, labeller: 'ann', value: 'cat' }),
    'SAMPLE_NOT_FOUND',
  );
  const foreign = await nextSample(db.knex, {
    projectId: other.projectId,
    labeller: 'ann',
    ttlSeconds: TTL,
  });
  assert.ok(foreign);
  await rejectsWith(
    labelSample(db.knex, { projectId, sampleId: foreign.id, labeller: 'ann', value: 'cat' }),
    'WRONG_PROJECT',
  );
  await rejectsWith(
    skipSample(db.knex, { projectId, sampleId: s.id, labeller: 'eve' }),
    'NOT_LEASED',
  );
  const afterCount = await db.knex('labels').count<{ count: string }[]>('* as count');
  assert.deepEqual(afterCount, before);
  assert.equal((await getSampleById({ tx: db.knex, id: s.id }))?.lease_owner, 'ann');
});

test('multi-label projects take arrays of options, deduplicated and sorted', async () => {
  const { projectId } = await seedQueueProject(db.knex, {
    count: 1,
    project: { multiLabel: true },
  });
  const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.ok(s);
  const out = await labelSample(db.knex, {
    projectId,
    sampleId: s.id,
    labeller: 'ann',
    value: ['dog', 'cat', 'dog'],
  });
  const row = await db.knex<DbLabelRow>('labels').where({ id: out.labelId }).first();
  assert.deepEqual(row?.value, ['cat', 'dog']);
});

test('skip: never handed to the skipper again, but to others', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 1 });
  const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.ok(s);
  await skipSample(db.knex, { projectId, sampleId: s.id, labeller: 'ann' });
  assert.equal(
    await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL }),
    undefined,
  );
  assert.equal(
    (await nextSample(db.knex, { projectId, labeller: 'bob', ttlSeconds: TTL }))?.id,
    s.id,
  );
});

test('released and expired leases put samples back; renew keeps them', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 2 });
  const a = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  const b = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: 1 });
  assert.ok(a && b);
  assert.equal(
    await nextSample(db.knex, { projectId, labeller: 'bob', ttlSeconds: TTL }),
    undefined,
  );
  // Release (disconnect) frees a at once; nobody else can release ann's lease.
  assert.deepEqual(await releaseLeases({ tx: db.knex, labeller: 'bob', sampleIds: [a.id] }), []);
  assert.deepEqual(await releaseLeases({ tx: db.knex, labeller: 'ann', sampleIds: [a.id] }), [
    a.id,
  ]);
  assert.equal(
    (await nextSample(db.knex, { projectId, labeller: 'bob', ttlSeconds: TTL }))?.id,
    a.id,
  );
  // b's 1 s lease lapses on the database clock and is taken by the next caller.
  await sleep(1300);
  const c = await nextSample(db.knex, { projectId, labeller: 'cid', ttlSeconds: 1 });
  assert.equal(c?.id, b.id);
  // Renewal keeps a short lease alive past its first expiry.
  assert.deepEqual(
    await renewLeases({ tx: db.knex, labeller: 'cid', sampleIds: [b.id], ttlSeconds: TTL }),
    [b.id],
  );
  await sleep(1200);
  assert.equal(
    await nextSample(db.knex, { projectId, labeller: 'dan', ttlSeconds: TTL }),
    undefined,
  );
});

test('undo restores the previous state and leases the sample back; history is kept', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 2, priorities: (i) => -i });
  const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.ok(s);
  const before = await getSampleById({ tx: db.knex, id: s.id });
  const first = await labelSample(db.knex, {
    projectId,
    sampleId: s.id,
    labeller: 'ann',
    value: 'cat',
  });
  const undone = await undoLast(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.deepEqual(undone, { sampleId: s.id, undoneLabelId: first.labelId, leased: true });
  const restored = await getSampleById({ tx: db.knex, id: s.id });
  assert.equal(restored?.status, before?.status);
  assert.equal(restored?.label_count, before?.label_count);
  assert.equal(restored?.lease_owner, 'ann');
  // Nobody else gets it while ann holds it; ann can label it again.
  assert.notEqual(
    (await nextSample(db.knex, { projectId, labeller: 'bob', ttlSeconds: TTL }))?.id,
    s.id,
  );
  await labelSample(db.knex, { projectId, sampleId: s.id, labeller: 'ann', value: 'dog' });
  const history = await db.knex<DbLabelRow>('labels').where({ sample_id: s.id }).orderBy('id');
  assert.deepEqual(
    history.map((r) => [r.kind, r.value]),
    [
      ['label', 'cat'],
      ['undo', null],
      ['label', 'dog'],
    ],
  );
  assert.equal(history[1]?.undoes_id, first.labelId);
  // Undo of a skip works the same way; with nothing left, undo says so.
  await undoLast(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  await rejectsWith(
    undoLast(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL }),
    'NOTHING_TO_UNDO',
  );
});

test('a label after a lost lease is kept when still wanted, and a conflict otherwise', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 1 });
  const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: 1 });
  assert.ok(s);
  await sleep(1200);
  // bob takes over the lapsed lease, but ann's late label still counts: nobody labelled it yet.
  assert.equal(
    (await nextSample(db.knex, { projectId, labeller: 'bob', ttlSeconds: TTL }))?.id,
    s.id,
  );
  const late = await labelSample(db.knex, {
    projectId,
    sampleId: s.id,
    labeller: 'ann',
    value: 'cat',
  });
  assert.equal(late.conflict, false);
  // bob's label arrives after the sample got its one wanted label: recorded as a conflict.
  const clash = await labelSample(db.knex, {
    projectId,
    sampleId: s.id,
    labeller: 'bob',
    value: 'dog',
  });
  assert.equal(clash.conflict, true);
  const rows = await db.knex<DbLabelRow>('labels').where({ sample_id: s.id }).orderBy('id');
  assert.deepEqual(
    rows.map((r) => [r.labeller, r.value, r.conflict]),
    [
      ['ann', 'cat', false],
      ['bob', 'dog', true],
    ],
  );
  const sample = await getSampleById({ tx: db.knex, id: s.id });
  assert.equal(sample?.label_count, 1);
  assert.equal(sample.lease_owner, null);
});

test('a resend with the same client key returns the first result and writes nothing', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 1 });
  const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.ok(s);
  const input = { projectId, sampleId: s.id, labeller: 'ann', value: 'cat', clientKey: 'k-1' };
  const first = await labelSample(db.knex, input);
  const again = await labelSample(db.knex, input);
  assert.deepEqual(again, first);
  assert.equal((await db.knex('labels').where({ sample_id: s.id })).length, 1);
});

test('two answers to one hand-out racing each other: exactly one lands', async () => {
  const { projectId } = await seedQueueProject(db.knex, {
    count: 1,
    project: { labelsPerSample: 2 },
  });
  const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
  assert.ok(s);
  const results = await Promise.allSettled(
    ['cat', 'dog', 'bird', 'cat'].map((value, i) =>
      labelSample(db.knex, {
        projectId,
        sampleId: s.id,
        labeller: 'ann',
        value,
        clientKey: `tab-${i}`,
      }),
    ),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) {
    if (r.status === 'rejected')
      assert.ok(r.reason instanceof QueueError && r.reason.code === 'ALREADY_LABELLED');
  }
  const sample = await getSampleById({ tx: db.knex, id: s.id });
  assert.equal(sample?.label_count, 1, 'one label counted, not four');
});
