/**
 * The server process is SIGKILLed under labelling sockets. Alone: it is started again on the
 * same port, clients reconnect, a held sample comes back to its labeller (its label is
 * accepted) and an abandoned lease expires to someone else. With two servers on one Postgres:
 * the labellers of the killed one move to the other and everyone keeps being served.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '@al/db/testing';
import { freePort } from '@al/db/testing';
import { connectClient, emitWithAck } from '../server/helpers';
import { assertAckedEqualsStored, printFigure } from './ackedVsStored';
import { startSwarm, waitFor, waitForAsync } from './labellerSwarm';
import { createFaultProject } from './restartablePostgres';
import { startServerProcess } from './serverProcess';

const LABELLERS = 20;
const LEASE_TTL_SECONDS = 5;

/** Whether every labeller had a label acked after `since`. */
function everyoneServedSince(acked: { labeller: string; at: number }[], since: number): boolean {
  return new Set(acked.filter((a) => a.at > since).map((a) => a.labeller)).size === LABELLERS;
}

test('SIGKILL, then the same port again: clients come back, leases return or expire', async (t) => {
  const db = await createTestDatabase();
  t.after(() => db.destroy());
  const project = await createFaultProject(db.knex, { samples: 5_000 });
  const port = await freePort();
  const opts = { databaseUrl: db.url, port, leaseTtlSeconds: LEASE_TTL_SECONDS };
  const first = await startServerProcess(opts);
  t.after(() => first.kill('SIGKILL'));
  const swarm = startSwarm({
    urls: [first.url],
    project: project.name,
    count: LABELLERS,
    namePrefix: 'sigkill',
  });
  t.after(() => swarm.stop(1_000).catch(() => undefined));

  // A labeller who takes a sample and never comes back after the crash.
  const gone = await connectClient(first.url, { name: 'gone', project: project.name });
  const held = await emitWithAck(gone, 'sample:next', {});
  assert.ok('data' in held && held.data.sample);
  const abandoned = held.data.sample.id;
  await waitFor(() => swarm.stats.acked.length >= 100, '100 labels before the kill');

  assert.equal(await first.kill('SIGKILL'), null);
  const killedAt = Date.now();
  gone.close();
  const second = await startServerProcess(opts);
  t.after(() => second.kill('SIGKILL'));
  const restartedAt = Date.now();
  await waitFor(() => everyoneServedSince(swarm.stats.acked, restartedAt), 'all 20 served again');
  const reconnectMs =
    Math.min(...swarm.stats.acked.filter((a) => a.at > killedAt).map((a) => a.at)) - restartedAt;

  // The abandoned lease lapses after the TTL and the sample goes to somebody else.
  const takenOver = () =>
    db.knex('handouts').where({ sample_id: abandoned }).andWhereNot({ labeller: 'gone' });
  await waitForAsync(
    async () => (await takenOver()).length > 0,
    'the abandoned sample handed to another labeller',
    (LEASE_TTL_SECONDS + 10) * 1_000,
  );
  const handedAt = async (labeller: 'gone' | 'other') => {
    const q = db
      .knex('handouts')
      .where({ sample_id: abandoned })
      .min<{ at: Date }[]>('handed_at as at');
    const rows = await (labeller === 'gone'
      ? q.where({ labeller })
      : q.whereNot({ labeller: 'gone' }));
    return rows[0]?.at.getTime() ?? Number.NaN;
  };
  const gapMs = (await handedAt('other')) - (await handedAt('gone'));
  assert.ok(gapMs >= LEASE_TTL_SECONDS * 1_000, `re-handed before the lease lapsed (${gapMs} ms)`);
  await swarm.stop();
  const { acked, stored } = await assertAckedEqualsStored(db.knex, swarm.stats, 'sigkill');
  assert.equal(acked, stored);
  assert.ok(swarm.stats.resends > 0, 'no label was in hand at the kill (nothing resent)');
  assert.deepEqual(swarm.stats.refused, [], 'a label in hand at the kill was refused afterwards');
  printFigure(t, 'sigkill-restart', {
    labellers: LABELLERS,
    acked,
    stored,
    resends: swarm.stats.resends,
    firstAckAfterRestartMs: reconnectMs,
    abandonedLeaseReassignedAfterMs: gapMs,
  });
});

test('two servers on one Postgres: SIGKILL one, the other serves everyone', async (t) => {
  const db = await createTestDatabase();
  t.after(() => db.destroy());
  const project = await createFaultProject(db.knex, { samples: 5_000 });
  const servers = await Promise.all(
    [0, 1].map(async () =>
      startServerProcess({
        databaseUrl: db.url,
        port: await freePort(),
        leaseTtlSeconds: LEASE_TTL_SECONDS,
      }),
    ),
  );
  for (const s of servers) t.after(() => s.kill('SIGKILL'));
  const [doomed, survivor] = servers as [(typeof servers)[0], (typeof servers)[0]];
  // Even-numbered labellers start on the doomed server, odd ones on the survivor.
  const swarm = startSwarm({
    urls: [doomed.url, survivor.url],
    project: project.name,
    count: LABELLERS,
    namePrefix: 'twoservers',
  });
  t.after(() => swarm.stop(1_000).catch(() => undefined));
  await waitFor(() => swarm.stats.acked.length >= 100, '100 labels before the kill');
  assert.equal(swarm.labellers.filter((l) => l.server === 0).length, LABELLERS / 2);

  assert.equal(await doomed.kill('SIGKILL'), null);
  const killedAt = Date.now();
  await waitFor(() => everyoneServedSince(swarm.stats.acked, killedAt), 'all 20 served after');
  const allServedMs = Date.now() - killedAt;
  assert.equal(survivor.child.exitCode, null);
  assert.ok(
    swarm.labellers.every((l) => l.server === 1),
    'a labeller is not on the survivor',
  );
  await swarm.stop();
  const { acked, stored } = await assertAckedEqualsStored(db.knex, swarm.stats, 'twoservers');
  assert.equal(acked, stored);
  assert.deepEqual(swarm.stats.refused, [], 'a label in hand at the kill was refused afterwards');
  printFigure(t, 'sigkill-one-of-two', {
    labellers: LABELLERS,
    acked,
    stored,
    resends: swarm.stats.resends,
    allServedAgainAfterMs: allServedMs,
  });
});
