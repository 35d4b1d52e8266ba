import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getSampleById } from '@al/db';
import { createTestDatabase } from '@al/db/testing';
import {
  connectClient,
  createFixtureProject,
  labelAs,
  emitWithAck,
  takeNext,
  startApp,
  waitForEvent,
  type LabellerClient,
} from './helpers';

const SAMPLES = 120;

test('two server processes on one database never hand out the same sample and share broadcasts', async () => {
  const db = await createTestDatabase({ poolMax: 20 });
  const fixture = await createFixtureProject(db.knex, { name: 'shared', samples: SAMPLES });
  const a = await startApp(db);
  const b = await startApp(db);
  const clients: LabellerClient[] = [];
  try {
    // A broadcast caused on A reaches an idle client of B (through the Postgres adapter). The
    // adapter's LISTEN connection comes up in the background, so allow a few attempts.
    const observer = await connectClient(b.url, { name: 'observer' });
    const actor = await connectClient(a.url, { name: 'actor' });
    clients.push(observer, actor);
    let crossed = false;
    for (let attempt = 0; attempt < 5 && !crossed; attempt++) {
      const seen = waitForEvent(observer, 'progress:update', (p) => p.labels >= 1, 1500);
      const sample = await takeNext(actor);
      assert.ok(sample);
      await labelAs(actor, sample.id);
      crossed = await seen.then(
        () => true,
        () => false,
      );
    }
    assert.ok(crossed, 'progress:update from server A reached a client of server B');

    for (let i = 0; i < 20; i++) {
      clients.push(await connectClient(i % 2 === 0 ? a.url : b.url, { name: `split-${i}` }));
    }
    const handed = new Map<number, string>();
    const duplicates: number[] = [];
    await Promise.all(
      clients.slice(2).map(async (client, i) => {
        for (;;) {
          const sample = await takeNext(client);
          if (!sample) return;
          if (handed.has(sample.id)) duplicates.push(sample.id);
          handed.set(sample.id, `split-${i}`);
          await labelAs(client, sample.id);
        }
      }),
    );
    assert.deepEqual(duplicates, []);
    const labels = await db.knex('labels').where({ kind: 'label' }).select('sample_id');
    assert.equal(labels.length, SAMPLES);
    assert.equal(new Set(labels.map((r: { sample_id: number }) => r.sample_id)).size, SAMPLES);
  } finally {
    for (const c of clients) c.close();
    await a.close();
    await b.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('a sample held by a client that disconnects goes to the next labeller', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'leases', samples: 5 });
  const server = await startApp(db, { config: { LEASE_TTL_SECONDS: 5 } });
  try {
    const leaver = await connectClient(server.url, { name: 'leaver' });
    const taken = await takeNext(leaver);
    assert.ok(taken);
    const lease = await getSampleById({ tx: db.knex, id: taken.id });
    assert.equal(lease?.lease_owner, 'leaver');

    leaver.close();
    // Release on disconnect is asynchronous on the server: poll briefly rather than sleep.
    const deadline = Date.now() + 5000;
    const stayer = await connectClient(server.url, { name: 'stayer' });
    let got: number | undefined;
    while (Date.now() < deadline) {
      const sample = await takeNext(stayer);
      assert.ok(sample);
      if (sample.id === taken.id) {
        got = sample.id;
        break;
      }
      // Handed something else first (lease not yet released): skip it, try again.
      await emitWithAck(stayer, 'sample:skip', { sampleId: sample.id });
    }
    assert.equal(got, taken.id, 'the abandoned sample was handed to the other labeller');
    stayer.close();
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('leases held by a connected client are renewed while it stays connected', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'renew', samples: 3 });
  // TTL 3 s → renewal every second; after 4.5 s the lease is still alive only if renewed.
  const server = await startApp(db, { config: { LEASE_TTL_SECONDS: 3 } });
  try {
    const holder = await connectClient(server.url, { name: 'holder' });
    const sample = await takeNext(holder);
    assert.ok(sample);
    await new Promise((r) => setTimeout(r, 4500));
    const row = await getSampleById({ tx: db.knex, id: sample.id });
    assert.equal(row?.lease_owner, 'holder');
    assert.ok((row.lease_expires_at?.getTime() ?? 0) > Date.now(), 'lease was renewed');
    holder.close();
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});
