import type { Knex } from 'knex';
import pg from 'pg';
import { createAdapter } from '@socket.io/postgres-adapter';
import { ensureSocketIoAttachmentsTable } from '@al/db';
import type { Logger } from '@al/media';
import type { LabellerServer } from './types';

/** What the adapter uses of its pool: a client for LISTEN, and one-off queries. */
type AdapterPool = Pick<pg.Pool, 'connect' | 'query'>;

/** A promise that never settles and holds no timer: what a closed pool gives the adapter. */
const never = <T>() => new Promise<T>(() => undefined);

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
  /** Clients the adapter took with connect() (for LISTEN) and has not given back. */
  const listenClients = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err, client) => {
    checkedOut.delete(client);
    listenClients.delete(client);
  });
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      deps.logger.warn({ err: { message: err.message } }, 'socket.io adapter connection lost');
      if (checkedOut.has(client)) client.release(err);
    });
  });
  // The adapter's own close releases its LISTEN client only once LISTEN has answered; closed
  // while it is still connecting or listening (a SIGTERM right after start, or during a
  // reconnection), it would keep that client for good and `pool.end()` would never return.
  // So once closing, it gets no client: a connect under way hands its client back at once.
  let closing = false;
  const isClosing = () => closing; // read after an await, where a plain read looks constant
  const adapterPool: AdapterPool = {
    query: pool.query.bind(pool),
    connect: (async () => {
      if (isClosing()) return never();
      const client = await pool.connect();
      if (isClosing()) {
        client.release(new Error('socket.io adapter closed'));
        return never();
      }
      listenClients.add(client);
      return client;
    }) as AdapterPool['connect'],
  };
  deps.io.adapter(
    // The adapter calls nothing of its pool but connect() and query().
    createAdapter(adapterPool as pg.Pool, {
      errorHandler: (err) => {
        deps.logger.warn({ err }, 'socket.io adapter error');
      },
    }),
  );
  return {
    close: async () => {
      closing = true;
      // A client the adapter got but has not recorded yet (its LISTEN in flight): end it here;
      // without its 'end' listener the adapter does not reconnect.
      for (const client of listenClients) {
        client.removeAllListeners('end');
        client.release(new Error('socket.io adapter closed'));
      }
      await pool.end();
    },
  };
}
