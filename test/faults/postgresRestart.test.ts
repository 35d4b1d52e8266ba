/**
 * Postgres stops (fast shutdown) under 20 labelling sockets and comes back a few seconds later.
 * The server must live through it, answer UNAVAILABLE (never INTERNAL) while the database is
 * away, reconnect by itself, and in the end every acknowledged label is stored exactly once.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { freePort } from '@al/db/testing';
import { assertAckedEqualsStored, printFigure } from './ackedVsStored';
import { startSwarm, waitFor, waitForAsync } from './labellerSwarm';
import { startRestartablePostgres } from './restartablePostgres';
import { logLinesAtLeast, startServerProcess } from './serverProcess';

const LABELLERS = 20;
const DOWN_MS = 5_000;

test('a Postgres restart mid-labelling loses no acknowledged label', async (t) => {
  const pg = await startRestartablePostgres({ samples: 8_000 });
  t.after(() => pg.destroy());
  assert.ok(pg.project);
  // Lease renewal every 3 s (TTL/3), so renewal rounds fail during the outage too.
  const server = await startServerProcess({
    databaseUrl: pg.url,
    port: await freePort(),
    leaseTtlSeconds: 9,
  });
  t.after(() => server.kill('SIGKILL'));
  const swarm = startSwarm({
    urls: [server.url],
    project: pg.project.name,
    count: LABELLERS,
    namePrefix: 'pgrestart',
  });
  t.after(() => swarm.stop(1_000).catch(() => undefined));

  await waitFor(() => swarm.stats.acked.length >= 100, '100 labels before the restart');
  const stoppedAt = Date.now();
  await pg.stop();
  await sleep(DOWN_MS);
  assert.equal(server.child.exitCode, null, `server died with Postgres:\n${server.output()}`);
  const unavailable = swarm.stats.unavailableAt.filter((at) => at > stoppedAt).length;
  assert.ok(unavailable > 0, 'no request was answered UNAVAILABLE while Postgres was down');
  const ackedWhileDown = swarm.stats.acked.filter((a) => a.at > stoppedAt + 1_000).length;

  await pg.start();
  const backAt = Date.now();
  await waitFor(
    () => swarm.stats.handouts.some((at) => at > backAt),
    'a hand-out after Postgres came back',
    30_000,
  );
  const firstHandoutMs = Math.min(...swarm.stats.handouts.filter((at) => at > backAt)) - backAt;
  // Both LISTEN connections (model updates, socket.io adapter) come back on their own.
  const listening = async () => {
    const rows = await pg
      .knex('pg_stat_activity')
      .whereRaw('datname = current_database()')
      .andWhere('query', 'like', 'LISTEN%')
      .distinct<{ application_name: string }[]>('application_name');
    return rows.map((r) => r.application_name).sort();
  };
  await waitForAsync(
    async () => (await listening()).length === 2,
    'the LISTEN connections back',
    30_000,
  );
  const listenersBackMs = Date.now() - backAt;
  assert.deepEqual(await listening(), ['labeller-model-listener', 'labeller-socketio-adapter']);
  const ackedBefore = swarm.stats.acked.length;
  await waitFor(() => swarm.stats.acked.length >= ackedBefore + 200, '200 labels after it');
  await swarm.stop();

  const internal = [...swarm.stats.errors].filter(([k]) => k.endsWith(' INTERNAL'));
  assert.deepEqual(
    internal,
    [],
    `a request failed as INTERNAL:\n${logLinesAtLeast(server.output(), 50).slice(0, 3).join('\n')}`,
  );
  assert.deepEqual(swarm.stats.refused, [], 'a label was refused for good');
  assert.equal(ackedWhileDown, 0, 'labels acked while Postgres was down');
  assert.ok(swarm.stats.resends > 0, 'no label was in hand during the outage (nothing resent)');
  const { acked, stored } = await assertAckedEqualsStored(pg.knex, swarm.stats, 'pgrestart');
  assert.equal(acked, stored);

  // Shutting down after the restart still goes cleanly: the pool it closes is a healthy one.
  assert.equal(await server.kill('SIGTERM'), 0, server.output());
  assert.deepEqual(logLinesAtLeast(server.output(), 50), [], 'error lines in the server log');
  assert.match(server.output(), /lease renewal skipped: database unavailable/);
  assert.doesNotMatch(server.output(), /lease renewal failed/);
  printFigure(t, 'postgres-restart', {
    labellers: LABELLERS,
    downMs: DOWN_MS,
    acked,
    stored,
    resends: swarm.stats.resends,
    unavailableAnswers: swarm.stats.unavailableAt.length,
    firstHandoutAfterPostgresBackMs: firstHandoutMs,
    listenConnectionsBackMs: listenersBackMs,
  });
});
