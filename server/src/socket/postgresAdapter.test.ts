import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Server } from 'socket.io';
import { createTestDatabase } from '@al/db/testing';
import { createLogger } from '@al/media';
import { attachPostgresAdapter } from './postgresAdapter';
import type { LabellerServer } from './types';

const CLOSE_DEADLINE_MS = 10_000;

async function adapterConnections(db: { knex: import('knex').Knex }): Promise<number> {
  const result = await db.knex.raw<{ rows: { n: number }[] }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'labeller-socketio-adapter'`,
  );
  return result.rows[0]?.n ?? -1;
}

test('closed while still taking its LISTEN connection, the adapter returns and leaves no connection', async () => {
  const db = await createTestDatabase();
  const logger = createLogger('warn');
  try {
    // 0 ms: closed before its connect answers; later: while LISTEN is in flight, or after.
    for (const waitMs of [0, 0, 1, 2, 5, 10, 50]) {
      const io: LabellerServer = new Server(createServer());
      const adapter = await attachPostgresAdapter({
        io,
        knex: db.knex,
        databaseUrl: db.url,
        logger,
      });
      await delay(waitMs);
      await new Promise<void>((resolve) => {
        void io.close(() => {
          resolve();
        });
      });
      const outcome = await Promise.race([
        adapter.close().then(() => 'closed'),
        delay(CLOSE_DEADLINE_MS).then(() => 'still closing'),
      ]);
      assert.equal(outcome, 'closed', `closed ${waitMs} ms after attaching`);
    }
    // Connections end asynchronously on the server side once the client has closed them.
    for (let i = 0; i < 50 && (await adapterConnections(db)) > 0; i++) await delay(100);
    assert.equal(await adapterConnections(db), 0);
  } finally {
    await db.destroy();
  }
});
