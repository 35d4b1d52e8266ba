import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '@al/db/testing';
import {
  connectClient,
  createFixtureProject,
  emitWithAck,
  startApp,
  waitForEvent,
  type LabellerClient,
} from './helpers';

const CLIENTS = 100;
const SAMPLES = 300;

/** Loops next → label until the queue is empty; returns the ids this client labelled. */
async function labelUntilEmpty(client: LabellerClient, failures: unknown[]): Promise<number[]> {
  const labelled: number[] = [];
  for (;;) {
    const next = await emitWithAck(client, 'sample:next', {});
    if (!('data' in next)) {
      failures.push(next);
      return labelled;
    }
    const sample = next.data.sample;
    if (!sample) return labelled;
    const value = sample.options[sample.id % sample.options.length] ?? 'cat';
    const ack = await emitWithAck(client, 'sample:label', {
      sampleId: sample.id,
      value,
    });
    if ('data' in ack) labelled.push(sample.id);
    else failures.push(ack);
  }
}

test(`${CLIENTS} concurrent labellers label a ${SAMPLES}-sample project exactly once each`, async () => {
  const db = await createTestDatabase({ poolMax: 20 });
  const fixture = await createFixtureProject(db.knex, { name: 'pets', samples: SAMPLES });
  const server = await startApp(db);
  const clients: LabellerClient[] = [];
  try {
    for (let i = 0; i < CLIENTS; i++) {
      clients.push(await connectClient(server.url, { name: `labeller-${i}` }));
    }
    // Every client must see a broadcast announcing the finished project.
    const finished = clients.map((c) =>
      waitForEvent(c, 'progress:update', (p) => p.done === SAMPLES, 20_000),
    );
    const failures: unknown[] = [];
    const perClient = await Promise.all(clients.map((c) => labelUntilEmpty(c, failures)));
    assert.deepEqual(failures, [], 'every ack is positive');

    const all = perClient.flat();
    assert.equal(all.length, SAMPLES);
    assert.equal(new Set(all).size, SAMPLES, 'no sample labelled twice');
    const busy = perClient.filter((ids) => ids.length > 0).length;
    assert.ok(busy > CLIENTS / 2, `work spread over clients (${busy} labelled something)`);

    const rows = await db.knex('labels').select('sample_id', 'kind', 'conflict');
    assert.equal(rows.length, SAMPLES);
    assert.ok(
      rows.every((r: { kind: string; conflict: boolean }) => r.kind === 'label' && !r.conflict),
    );
    const open = await db
      .knex('samples')
      .where({ status: 'open' })
      .count<{ n: number }[]>('* as n');
    assert.equal(Number(open[0]?.n), 0);

    const finals = await Promise.all(finished);
    for (const p of finals) {
      assert.equal(p.total, SAMPLES);
      assert.equal(p.labels, SAMPLES);
    }
  } finally {
    for (const c of clients) c.close();
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});
