import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// bigint ids (int8) and counts come back as strings by default; ours stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Tx = Knex | Knex.Transaction;

export interface CreateDbOptions {
  connectionString: string;
  poolMax?: number;
  applicationName?: string;
}

export function createDb(opts: CreateDbOptions): Knex {
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: opts.connectionString,
      application_name: opts.applicationName ?? 'labeller',
    },
    pool: { min: 0, max: opts.poolMax ?? 10 },
    acquireConnectionTimeout: 30_000,
  });
}
