/**
 * Leasing ahead (server/src/services/handoutAhead.ts): a labeller looping next → label gets
 * their next sample leased with the label, and nobody else is ever worse off for it: an idle
 * labeller lets it go, a disconnect releases it, a labeller holding a sample gets none, a
 * shallow queue gets none, and a swarm still labels every sample exactly once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Knex } from 'knex';
import { createTestDatabase } from '@al/db/testing';
import { connectClient, createFixtureProject, labelAs, takeNext, startApp } from './helpers';

/** Ids of the samples `labeller` holds a live lease on. */
async function leasedTo(knex: Knex, labeller: string): Promise<number[]> {
  const rows = await knex('samples')
    .where({ lease_owner: labeller, status: 'open' })
    .andWhereRaw('lease_expires_at > now()')
    .orderBy('id')
    .select<{ id: number }[]>('id');
  return rows.map((r) => r.id);
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('a labeller looping next → label finds the next sample leased with the label', async (t) => {
  const db = await createTestDatabase();
  t.after(() => db.destroy());
  const fixture = await createFixtureProject(db.knex, { name: 'ahead', samples: 60 });
  t.after(() => fixture.cleanup());
  const server = await startApp(db, { handoutAhead: { minOpen: 10, claimWithinMs: 5_000 } });
  t.after(() => server.close());
  const client = await connectClient(server.url, { name: 'looper' });
  t.after(() => client.close());

  const first = await takeNext(client);
  assert.ok(first);
  await labelAs(client, first.id);
  // Acked: the next sample is already leased to the labeller, before they ask for it...
  const ahead = await leasedTo(db.knex, 'looper');
  assert.equal(ahead.length, 1, 'one sample leased ahead');
  // ...and it is the one their sample:next returns (the queue's next in priority order).
  const second = await takeNext(client);
  assert.ok(second);
  assert.equal(second.id, ahead[0]);
  assert.equal(second.id, first.id + 1);
  const handouts = await db
    .knex('handouts')
    .where({ labeller: 'looper' })
    .count<{ n: string }[]>('* as n');
  assert.equal(Number(handouts[0]?.n), 2, 'one hand-out per sample, none doubled');
  // Its label is accepted like any other (it answers that hand-out).
  await labelAs(client, second.id);
  assert.equal((await db.knex('labels').where({ labeller: 'looper', kind: 'label' })).length, 2);
});

test('a sample leased ahead goes back to the queue when nobody asks for it or on disconnect', async (t) => {
  const db = await createTestDatabase();
  t.after(() => db.destroy());
  const fixture = await createFixtureProject(db.knex, { name: 'idle', samples: 60 });
  t.after(() => fixture.cleanup());
  const server = await startApp(db, { handoutAhead: { minOpen: 10, claimWithinMs: 300 } });
  t.after(() => server.close());

  const idle = await connectClient(server.url, { name: 'idle' });
  t.after(() => idle.close());
  const sample = await takeNext(idle);
  assert.ok(sample);
  await labelAs(idle, sample.id);
  assert.equal((await leasedTo(db.knex, 'idle')).length, 1);
  const labelledAt = Date.now();
  await until(
    'the unclaimed lease to be released',
    async () => (await leasedTo(db.knex, 'idle')).length === 0,
  );
  assert.ok(Date.now() - labelledAt < 3_000);
  // Released, not lost: the next labeller gets exactly that sample.
  const other = await connectClient(server.url, { name: 'other' });
  t.after(() => other.close());
  assert.equal((await takeNext(other))?.id, sample.id + 1);

  const leaver = await connectClient(server.url, { name: 'leaver' });
  const own = await takeNext(leaver);
  assert.ok(own);
  // Disconnect with the label's lease ahead possibly still in flight: nothing stays leased.
  const labelled = labelAs(leaver, own.id);
  await labelled;
  leaver.close();
  await until(
    'the leaver to hold nothing',
    async () => (await leasedTo(db.knex, 'leaver')).length === 0,
    2_000,
  );
});

test('no lease ahead for a labeller holding a sample, nor in a shallow queue', async (t) => {
  const db = await createTestDatabase();
  t.after(() => db.destroy());
  const fixture = await createFixtureProject(db.knex, { name: 'rules', samples: 30 });
  t.after(() => fixture.cleanup());
  const server = await startApp(db, { handoutAhead: { minOpen: 20, claimWithinMs: 5_000 } });
  t.after(() => server.close());

  // Holding two (as the labelling page does, one on screen and one ahead): labelling one leaves
  // one in hand, so nothing more is leased.
  const holder = await connectClient(server.url, { name: 'holder' });
  t.after(() => holder.close());
  const a = await takeNext(holder);
  const b = await takeNext(holder);
  assert.ok(a && b);
  await labelAs(holder, a.id);
  assert.deepEqual(await leasedTo(db.knex, 'holder'), [b.id]);

  // 30 samples, minOpen 20: once fewer than 20 are open and unleased, labels lease nothing.
  const looper = await connectClient(server.url, { name: 'looper' });
  t.after(() => looper.close());
  for (let i = 0; i < 12; i++) {
    const s = await takeNext(looper);
    assert.ok(s);
    await labelAs(looper, s.id);
  }
  // The cached totals lag by up to 50 ms in tests: let them catch up, then label once more.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const s = await takeNext(looper);
  assert.ok(s);
  await labelAs(looper, s.id);
  assert.deepEqual(await leasedTo(db.knex, 'looper'), [], 'leased ahead in a shallow queue');
});

test('40 looping labellers with leases ahead label every sample exactly once', async (t) => {
  const samples = 400;
  const db = await createTestDatabase({ poolMax: 20 });
  t.after(() => db.destroy());
  const fixture = await createFixtureProject(db.knex, { name: 'swarm', samples });
  t.after(() => fixture.cleanup());
  const server = await startApp(db, { handoutAhead: { minOpen: 50, claimWithinMs: 1_000 } });
  t.after(() => server.close());
  const clients = await Promise.all(
    Array.from({ length: 40 }, (_, i) => connectClient(server.url, { name: `swarm-${i}` })),
  );
  t.after(() => {
    for (const c of clients) c.close();
  });
  const handed = new Set<number>();
  const duplicates: number[] = [];
  await Promise.all(
    clients.map(async (client) => {
      for (;;) {
        const sample = await takeNext(client);
        if (!sample) return;
        if (handed.has(sample.id)) duplicates.push(sample.id);
        handed.add(sample.id);
        await labelAs(client, sample.id);
      }
    }),
  );
  assert.deepEqual(duplicates, []);
  const rows = await db
    .knex('labels')
    .where({ kind: 'label' })
    .select<{ sample_id: number }[]>('sample_id');
  assert.equal(rows.length, samples);
  assert.equal(new Set(rows.map((r) => r.sample_id)).size, samples);
});
