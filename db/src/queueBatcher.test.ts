import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from './testing/testPostgres';
import { seedQueueProject } from './testing/fixtures';
import { QueueError } from './queue';
import { QueueBatcher } from './queueBatcher';
import { leaseNextSamples } from './operations/queue/leaseNextSamples';
import { getProjectProgress } from './operations/queue/getProjectProgress';
import { createDb } from './knex';
import type { DbLabelRow } from './tables';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase({ poolMax: 4 });
});
after(async () => {
  await db.destroy();
});

const TTL = 60;

function codeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'ok';
  return result.reason instanceof QueueError ? result.reason.code : String(result.reason);
}

test('concurrent hand-outs share batches, follow priority and never lease one sample twice', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 50, priorities: (i) => i });
  const batcher = new QueueBatcher(db.knex, { maxBatch: 8 });
  const labellers = Array.from({ length: 40 }, (_, i) => `l${i}`);
  const leased = await Promise.all(
    labellers.map((labeller) => batcher.next({ projectId, labeller, ttlSeconds: TTL })),
  );
  const ids = leased.map((s) => s?.id);
  assert.equal(new Set(ids).size, 40, 'forty distinct samples');
  // The 40 highest priorities (49..10) went out, the first caller getting the highest.
  const names = leased.map((s) => Number(s?.source_uri.split('/').pop()?.replace('.png', '')));
  assert.deepEqual(
    [...names].sort((a, b) => b - a),
    Array.from({ length: 40 }, (_, i) => 49 - i),
  );
  assert.equal(names[0], 49);
  leased.forEach((s, i) => {
    assert.equal(s?.lease_owner, labellers[i]);
    assert.ok(s && s.handout_id > 0);
  });
  // One labeller twice in one batch gets two different samples; past the pool, nothing.
  const [a, b] = await Promise.all([
    batcher.next({ projectId, labeller: 'twice', ttlSeconds: TTL }),
    batcher.next({ projectId, labeller: 'twice', ttlSeconds: TTL }),
  ]);
  assert.ok(a && b && a.id !== b.id);
  const rest = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      batcher.next({ projectId, labeller: `late${i}`, ttlSeconds: TTL }),
    ),
  );
  assert.equal(rest.filter((s) => s !== undefined).length, 8);
});

test('one batch of answers: each item gets its own outcome or error code', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 6 });
  const other = await seedQueueProject(db.knex, { count: 1 });
  const batcher = new QueueBatcher(db.knex);
  const [s1, s2, s3, s4] = await Promise.all(
    ['ann', 'bob', 'cid', 'dan'].map((labeller) =>
      batcher.next({ projectId, labeller, ttlSeconds: TTL }),
    ),
  );
  assert.ok(s1 && s2 && s3 && s4);
  const results = await Promise.allSettled([
    batcher.label({ projectId, sampleId: s1.id, labeller: 'ann', value: 'cat', clientKey: 'k1' }),
    batcher.label({ projectId, sampleId: s1.id, labeller: 'ann', value: 'dog' }), // double submit
    batcher.label({ projectId, sampleId: s1.id, labeller: 'ann', value: 'cat', clientKey: 'k1' }), // resend
    batcher.label({ projectId, sampleId: s2.id, labeller: 'bob', value: 'horse' }),
    batcher.label({ projectId, sampleId: s3.id, labeller: 'ann', value: 'cat' }), // cid's sample
    batcher.label({ projectId, sampleId: 999_999, labeller: 'cid', value: 'cat' }),
    batcher.label({ projectId: other.projectId, sampleId: s3.id, labeller: 'cid', value: 'cat' }),
    batcher.skip({ projectId, sampleId: s4.id, labeller: 'dan' }),
    batcher.label({ projectId, sampleId: s3.id, labeller: 'cid', value: 'bird' }),
  ]);
  assert.deepEqual(results.map(codeOf), [
    'ok',
    'ALREADY_LABELLED',
    'ok',
    'INVALID_LABEL',
    'NOT_LEASED',
    'SAMPLE_NOT_FOUND',
    'WRONG_PROJECT',
    'ok',
    'ok',
  ]);
  const first = results[0];
  const resend = results[2];
  assert.ok(first.status === 'fulfilled' && resend.status === 'fulfilled');
  assert.deepEqual(resend.value, first.value, 'a resend returns the first result');

  const rows = await db
    .knex<DbLabelRow>('labels')
    .whereIn('sample_id', [s1.id, s2.id, s3.id, s4.id])
    .orderBy('id');
  assert.deepEqual(
    rows.map((r) => [r.sample_id, r.labeller, r.kind, r.value]),
    [
      [s1.id, 'ann', 'label', 'cat'],
      [s3.id, 'cid', 'label', 'bird'],
      [s4.id, 'dan', 'skip', null],
    ].sort((x, y) => Number(x[0]) - Number(y[0])),
    'rows are written in sample order; only the three good answers landed',
  );
  const progress = await getProjectProgress({ tx: db.knex, projectId });
  assert.equal(progress.labels, 2);
  // bob's lease survives his invalid label; dan's skip freed his sample for others.
  const bobAgain = await batcher.label({
    projectId,
    sampleId: s2.id,
    labeller: 'bob',
    value: 'dog',
  });
  assert.equal(bobAgain.conflict, false);
});

test('two batchers (two server processes) drain a project with overlap 2: every label exactly once', async () => {
  const { projectId } = await seedQueueProject(db.knex, {
    count: 600,
    project: { labelsPerSample: 2 },
    priorities: (i) => i % 7,
  });
  const pools = [0, 1].map(() => createDb({ connectionString: db.url, poolMax: 3 }));
  const batchers = pools.map((knex) => new QueueBatcher(knex, { maxBatch: 16 }));
  const holders = new Map<number, string>();
  const problems: string[] = [];
  const acked: { sampleId: number; labeller: string; labelId: number }[] = [];
  try {
    await Promise.all(
      Array.from({ length: 40 }, async (_, w) => {
        const batcher = batchers[w % 2];
        const labeller = `w${w}`;
        assert.ok(batcher);
        for (;;) {
          const sample = await batcher.next({ projectId, labeller, ttlSeconds: TTL });
          if (!sample) return;
          const holder = holders.get(sample.id);
          if (holder !== undefined)
            problems.push(`${sample.id} leased to ${holder} and ${labeller}`);
          holders.set(sample.id, labeller);
          holders.delete(sample.id); // before the label commits: a new hand-out follows the commit
          const out = await batcher.label({
            projectId,
            sampleId: sample.id,
            labeller,
            value: 'dog',
          });
          if (out.conflict) problems.push(`conflict on ${sample.id}`);
          acked.push({ sampleId: sample.id, labeller, labelId: out.labelId });
        }
      }),
    );
  } finally {
    await Promise.all(pools.map((knex) => knex.destroy()));
  }
  assert.deepEqual(problems, []);
  const rows: Pick<DbLabelRow, 'id' | 'sample_id' | 'labeller'>[] = await db
    .knex<DbLabelRow>('labels')
    .where({ project_id: projectId })
    .select('id', 'sample_id', 'labeller');
  assert.equal(rows.length, 1200, 'two labels per sample, nothing more');
  assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(acked.map((a) => a.labelId)));
  const perSample = new Map<number, Set<string>>();
  for (const r of rows)
    perSample.set(r.sample_id, (perSample.get(r.sample_id) ?? new Set()).add(r.labeller));
  assert.equal(perSample.size, 600);
  for (const labellers of perSample.values()) assert.equal(labellers.size, 2, 'distinct labellers');
});

test('a labeller who answered every candidate of the batch still gets the best sample left to them', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 10, priorities: (i) => i });
  const batcher = new QueueBatcher(db.knex);
  // 'a' skips the four best samples (9, 8, 7, 6): they stay open for everyone else.
  for (let k = 0; k < 4; k += 1) {
    const sample = await batcher.next({ projectId, labeller: 'a', ttlSeconds: TTL });
    assert.ok(sample);
    await batcher.skip({ projectId, sampleId: sample.id, labeller: 'a' });
  }
  // A batch of two looks at 2 × 2 candidates (9..6): 'b' takes 9; 'a' answered 8, 7 and 6 and
  // falls back to the search on alone, which passes over them to 5.
  const [forA, forB] = await leaseNextSamples({
    tx: db.knex,
    projectId,
    labellers: ['a', 'b'],
    ttlSeconds: TTL,
  });
  const nameOf = (s: { source_uri: string } | undefined) => s?.source_uri.split('/').pop();
  assert.equal(nameOf(forB), '9.png');
  assert.equal(nameOf(forA), '5.png');
  assert.equal(forA?.lease_owner, 'a');
  // The candidates 'a' could not take were not leased by the batch.
  const [next] = await leaseNextSamples({
    tx: db.knex,
    projectId,
    labellers: ['c'],
    ttlSeconds: TTL,
  });
  assert.equal(nameOf(next), '8.png');
});
