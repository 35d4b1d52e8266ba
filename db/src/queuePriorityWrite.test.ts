import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from './testing/testPostgres';
import { seedQueueProject } from './testing/fixtures';
import { labelSample, nextSample } from './queue';
import { getSampleById } from './operations/samples/getSampleById';
import { writeSamplePriorities } from './operations/orchestrator/writeSamplePriorities';

/** The hand-out and the labels next to the orchestrator's priority write. */
let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.destroy();
});

const TTL = 60;

test('while a priority write holds every open row, a hand-out waits for it instead of saying nothing is left', async () => {
  const { projectId } = await seedQueueProject(db.knex, { count: 3 });
  const writer = await db.knex.transaction();
  let handed: Awaited<ReturnType<typeof nextSample>>;
  try {
    await writer.raw('UPDATE samples SET priority = priority + 1 WHERE project_id = ?', [
      projectId,
    ]);
    const started = Date.now();
    const pending = nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
    await sleep(400);
    await writer.commit();
    handed = await pending;
    assert.ok(Date.now() - started >= 400, 'it waited for the commit');
  } finally {
    if (!writer.isCompleted()) await writer.rollback();
  }
  assert.ok(handed, 'a sample, not "nothing left"');
});

test(
  'the priority write leaves leased samples alone, so their labels never wait for it',
  { timeout: 20_000 },
  async () => {
    const { projectId } = await seedQueueProject(db.knex, { count: 3 });
    const s = await nextSample(db.knex, { projectId, labeller: 'ann', ttlSeconds: TTL });
    assert.ok(s);
    const all = await db.knex('samples').where({ project_id: projectId }).select('id');
    const writer = await db.knex.transaction();
    try {
      const written = await writeSamplePriorities({
        tx: writer,
        projectId,
        modelVersion: 1,
        samples: all.map((r: { id: number }) => ({
          id: r.id,
          priority: 5,
          predictedLabel: 'cat',
          predictedConfidence: 0.9,
        })),
      });
      assert.equal(written, 2, 'every open sample but the leased one');
      // The write has not committed; the label on the leased sample goes through at once.
      const out = await labelSample(db.knex, {
        projectId,
        sampleId: s.id,
        labeller: 'ann',
        value: 'dog',
      });
      assert.equal(out.conflict, false);
      await writer.commit();
    } finally {
      if (!writer.isCompleted()) await writer.rollback();
    }
    const after = await getSampleById({ tx: db.knex, id: s.id });
    assert.equal(after?.priority, 0);
    assert.equal(after.scored_model_version, null);
  },
);
