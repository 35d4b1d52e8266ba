import type { Knex } from 'knex';
import pg from 'pg';
import { createAdapter } from '@socket.io/postgres-adapter';
import { ensureSocketIoAttachmentsTable } from '@al/db';
import type { Logger } from '@al/media';
import type { LabellerServer } from './types';

/**
 * Lets several server processes on one Postgres share broadcasts: `io.to(room).emit` is
 * relayed through NOTIFY to the other processes' sockets. The adapter holds one LISTEN
 * connection and publishes through a small pool of its own.
 */
export async function attachPostgresAdapter(deps: {
  io: LabellerServer;
  knex: Knex;
  databaseUrl: string;
  logger: Logger;
}): Promise<{ close: () => Promise<void> }> {
  await ensureSocketIoAttachmentsTable({ knex: deps.knex });
  const pool = new pg.Pool({
    connectionString: deps.databaseUrl,
    max: 4,
    application_name: 'labeller-socketio-adapter',
  });
  pool.on('error', (err) => {
    deps.logger.warn({ err }, 'socket.io adapter pool error');
  });
  // The adapter keeps one client checked out for LISTEN and attaches no 'error' listener to it:
  // a Postgres restart would throw an unhandled 'error' and kill the process. Give every client
  // one; a checked-out client that fails goes back to the pool as broken (freeing its slot),
  // and the adapter, seeing it end, takes a new one with its own reconnection delay.
  const checkedOut = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err, client) => checkedOut.delete(client));
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      deps.logger.warn({ err: { message: err.message } }, 'socket.io adapter connection lost');
      if (checkedOut.has(client)) client.release(err);
    });
  });
  deps.io.adapter(
    createAdapter(pool, {
      errorHandler: (err) => {
        deps.logger.warn({ err }, 'socket.io adapter error');
      },
    }),
  );
  return { close: () => pool.end() };
}
