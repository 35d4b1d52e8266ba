/**
 * SIGTERM with labellers connected: the server stops handing out, answers the label that is in
 * flight (held up by a row lock the test owns), releases every lease of its sockets, closes the
 * pool and exits 0. A successor on the same port then takes the labels still in hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '@al/db/testing';
import { freePort } from '@al/db/testing';
import { connectClient, emitWithAck } from '../server/helpers';
import { assertAckedEqualsStored, printFigure } from './ackedVsStored';
import { startSwarm, waitFor } from './labellerSwarm';
import { createFaultProject } from './restartablePostgres';
import { logLinesAtLeast, startServerProcess } from './serverProcess';

const LABELLERS = 10;

test('SIGTERM answers in-flight labels, releases leases and exits 0', async (t) => {
  const db = await createTestDatabase();
  t.after(() => db.destroy());
  const project = await createFaultProject(db.knex, { samples: 3_000 });
  const port = await freePort();
  const server = await startServerProcess({ databaseUrl: db.url, port });
  t.after(() => server.kill('SIGKILL'));
  const swarm = startSwarm({
    urls: [server.url],
    project: project.name,
    count: LABELLERS,
    namePrefix: 'sigterm-swarm',
    thinkMs: 300, // most labellers hold a lease at any moment
  });
  t.after(() => swarm.stop(1_000).catch(() => undefined));
  await waitFor(() => swarm.stats.acked.length >= 50, '50 labels before SIGTERM');

  // One more labeller whose label is held up in the database when the signal arrives.
  const slow = await connectClient(server.url, { name: 'sigterm-slow', project: project.name });
  t.after(() => slow.close());
  const next = await emitWithAck(slow, 'sample:next', {});
  assert.ok('data' in next && next.data.sample);
  const sampleId = next.data.sample.id;
  const blocker = await db.knex.transaction();
  t.after(() => (blocker.isCompleted() ? undefined : blocker.rollback()));
  await blocker('samples').where({ id: sampleId }).forUpdate().select('id');
  const inFlight = emitWithAck(slow, 'sample:label', {
    sampleId,
    value: 'cat',
    clientKey: 'slow-1',
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const liveLeases = () =>
    db
      .knex('samples')
      .where('lease_owner', 'like', 'sigterm-%')
      .andWhereRaw('lease_expires_at > now()');
  assert.ok((await liveLeases().clone().count<{ n: number }[]>('* as n'))[0]?.n, 'no live lease');

  const [{ signalledDbTime }] = (
    await db.knex.raw<{ rows: { signalledDbTime: Date }[] }>('SELECT now() AS "signalledDbTime"')
  ).rows as [{ signalledDbTime: Date }];
  const signalledAt = Date.now();
  void server.kill('SIGTERM');
  // The label stays in flight a while after the signal; the server must wait for it.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  assert.equal(server.child.exitCode, null, 'exited with a request in flight');
  await blocker.commit();
  const answer = await inFlight;
  assert.ok('data' in answer, `in-flight label not acked: ${JSON.stringify(answer)}`);
  const code = await server.exited;
  const shutdownMs = Date.now() - signalledAt;
  assert.equal(code, 0, server.output());
  assert.match(server.output(), /"msg":"stopped"/);
  assert.deepEqual(logLinesAtLeast(server.output(), 50), [], 'error lines in the server log');
  const leftLeased = await liveLeases().select('id', 'lease_owner');
  assert.deepEqual(leftLeased, [], 'leases still held after the server exited');
  // Hand-outs stopped with the signal: none started after it (700 ms for the signal to land
  // on a busy machine), though the server stayed up 2 s longer for the label in flight.
  const lateHandouts = await db
    .knex('handouts')
    .where('handed_at', '>', new Date(signalledDbTime.getTime() + 700));
  assert.deepEqual(lateHandouts, [], 'hand-outs after SIGTERM');
  const slowRows = await db
    .knex('labels')
    .where({ labeller: 'sigterm-slow', client_key: 'slow-1' });
  assert.equal(slowRows.length, 1, 'the in-flight label is stored once');

  // Labels still in hand go to the successor on the same port, under their own keys.
  const successor = await startServerProcess({ databaseUrl: db.url, port });
  t.after(() => successor.kill('SIGKILL'));
  await swarm.stop();
  const { acked, stored } = await assertAckedEqualsStored(db.knex, swarm.stats, 'sigterm-swarm');
  assert.equal(acked, stored);
  assert.equal(await successor.kill('SIGTERM'), 0, successor.output());
  printFigure(t, 'sigterm', {
    labellers: LABELLERS,
    acked: acked + 1,
    stored: stored + slowRows.length,
    shutdownMs,
    leasesLeft: leftLeased.length,
  });
});
