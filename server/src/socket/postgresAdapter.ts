import type { Knex } from 'knex';
import pg from 'pg';
import { createAdapter } from '@socket.io/postgres-adapter';
import { ensureSocketIoAttachmentsTable } from '@al/db';
import type { Logger } from '../logger';
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
  await ensureSocketIoAttachmentsTable({ tx: deps.knex });
  const pool = new pg.Pool({
    connectionString: deps.databaseUrl,
    max: 4,
    application_name: 'labeller-socketio-adapter',
  });
  pool.on('error', (err) => {
    deps.logger.warn({ err }, 'socket.io adapter pool error');
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
