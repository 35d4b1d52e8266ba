import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from './testing/testPostgres';
import { seedQueueProject } from './testing/fixtures';
import { createDb } from './knex';
import { labelSample, nextSample } from './queue';
import { getProjectProgress } from './operations/queue/getProjectProgress';

const WORKERS = 32;
const SAMPLES = 2000;
const DEADLINE_MS = 120_000;

let db: TestDatabase;
let workerDbs: Knex[] = [];
before(async () => {
  db = await createTestDatabase();
  // Separate connections: one single-connection pool per worker.
  workerDbs = Array.from({ length: WORKERS }, () =>
    createDb({ connectionString: db.url, poolMax: 1 }),
  );
});
after(async () => {
  await Promise.all(workerDbs.map((k) => k.destroy()));
  await db.destroy();
});

interface Acked {
  labelId: number;
  sampleId: number;
  labeller: string;
  value: string;
}

/** Drains the project with WORKERS concurrent labellers and returns every acknowledged label. */
async function drain(projectId: number, options: string[]): Promise<Acked[]> {
  const acked: Acked[] = [];
  const holders = new Map<number, string>();
  const doubleLeases: string[] = [];
  const started = Date.now();
  await Promise.all(
    workerDbs.map(async (knex, w) => {
      const labeller = `worker-${w}`;
      while (Date.now() - started < DEADLINE_MS) {
        const sample = await nextSample(knex, { projectId, labeller, ttlSeconds: 300 });
        if (!sample) {
          const progress = await getProjectProgress({ tx: knex, projectId });
          if (progress.done === progress.total) return;
          await sleep(5); // others still hold samples this labeller may take
          continue;
        }
        const holder = holders.get(sample.id);
        if (holder !== undefined) doubleLeases.push(`${sample.id}: ${holder} and ${labeller}`);
        holders.set(sample.id, labeller);
        const value = options[(sample.id + w) % options.length] ?? 'none';
        // Forget the holder before the label commits: a later hand-out can only follow the commit.
        holders.delete(sample.id);
        const out = await labelSample(knex, { projectId, sampleId: sample.id, labeller, value });
        assert.equal(out.conflict, false, 'no lease expires in this test, so no conflict');
        acked.push({ labelId: out.labelId, sampleId: sample.id, labeller, value });
      }
      throw new Error(`${labeller} did not finish within ${DEADLINE_MS} ms`);
    }),
  );
  assert.deepEqual(doubleLeases, [], 'a sample was handed to two labellers at once');
  return acked;
}

async function assertDrained(projectId: number, wanted: number, acked: Acked[]): Promise<void> {
  // Every sample has exactly `wanted` effective labels from distinct labellers.
  const perSample = await db.knex.raw<{
    rows: { n: number; distinct_labellers: number; samples: number }[];
  }>(
    `SELECT n, distinct_labellers, count(*)::int AS samples FROM (
       SELECT s.id, count(l.id)::int AS n, count(DISTINCT l.labeller)::int AS distinct_labellers
       FROM samples s LEFT JOIN labels l ON l.sample_id = s.id AND l.kind = 'label' AND NOT l.conflict
       WHERE s.project_id = ? GROUP BY s.id) per
     GROUP BY n, distinct_labellers`,
    [projectId],
  );
  assert.deepEqual(perSample.rows, [{ n: wanted, distinct_labellers: wanted, samples: SAMPLES }]);
  const statuses = await db
    .knex('samples')
    .where({ project_id: projectId })
    .whereNot({ status: 'done' });
  assert.equal(statuses.length, 0);

  // No acknowledged label is missing or altered.
  assert.equal(acked.length, SAMPLES * wanted);
  const stored = await db.knex.raw<{
    rows: { id: number; sample_id: number; labeller: string; value: string }[];
  }>(`SELECT id, sample_id, labeller, value FROM labels WHERE project_id = ?`, [projectId]);
  const byId = new Map(stored.rows.map((r) => [r.id, r]));
  assert.equal(stored.rows.length, acked.length, 'no label row beyond the acknowledged ones');
  for (const a of acked) {
    assert.deepEqual(byId.get(a.labelId), {
      id: a.labelId,
      sample_id: a.sampleId,
      labeller: a.labeller,
      value: a.value,
    });
  }

  // No sample was leased to two people at once, as the database recorded it: every hand-out
  // replaced either no lease or one that had lapsed, as read under the row lock.
  const takeovers = await db.knex.raw<{ rows: { id: number }[] }>(
    `SELECT id FROM handouts
     WHERE project_id = ? AND replaced_owner IS NOT NULL
       AND (replaced_expires_at IS NULL OR replaced_expires_at > handed_at)`,
    [projectId],
  );
  assert.deepEqual(takeovers.rows, []);
  // Each hand-out was answered exactly once, by the labeller it was handed to.
  const unanswered = await db.knex.raw<{ rows: { id: number }[] }>(
    `SELECT h.id FROM handouts h
     WHERE h.project_id = ? AND NOT EXISTS (
       SELECT 1 FROM labels l WHERE l.handout_id = h.id AND l.labeller = h.labeller)`,
    [projectId],
  );
  assert.deepEqual(unanswered.rows, []);
  const handouts = await db
    .knex('handouts')
    .where({ project_id: projectId })
    .count<{ count: number }[]>('* as count');
  assert.equal(Number(handouts[0]?.count), SAMPLES * wanted);
}

test(`${WORKERS} workers drain ${SAMPLES} samples with overlap 1`, async () => {
  const { projectId, options } = await seedQueueProject(db.knex, {
    count: SAMPLES,
    priorities: (i) => (i * 7919) % 1000,
  });
  const acked = await drain(projectId, options);
  await assertDrained(projectId, 1, acked);
});

test(`${WORKERS} workers drain ${SAMPLES} samples with overlap 3, each from 3 distinct labellers`, async () => {
  const { projectId, options } = await seedQueueProject(db.knex, {
    count: SAMPLES,
    project: { labelsPerSample: 3 },
    priorities: (i) => (i * 104729) % 997,
  });
  const acked = await drain(projectId, options);
  await assertDrained(projectId, 3, acked);
});
