import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '../embedded';
import { createDb } from '../knex';
import { migrateLatest } from '../migrate';
import { freePort } from './freePort';

/** Set by test/run-tests.ts: one real cluster for the whole run, a fresh database per test file. */
export const TEST_PG_ADMIN_URL_ENV = 'TEST_PG_ADMIN_URL';

/** Starts a throw-away embedded cluster with its own port and data folder. */
export async function startTestCluster(): Promise<RunningPostgres & { dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'labeller-pg-'));
  const port = await freePort();
  const running = await startEmbeddedPostgres({ dataDir, port, database: 'labeller' });
  return {
    ...running,
    dataDir,
    stop: async () => {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let ownCluster: Promise<RunningPostgres> | undefined;

async function adminUrl(): Promise<string> {
  const fromRunner = process.env[TEST_PG_ADMIN_URL_ENV];
  if (fromRunner) return fromRunner;
  // Running one test file on its own: start a cluster for this process.
  ownCluster ??= startTestCluster();
  return (await ownCluster).adminUrl;
}

export interface TestDatabase {
  url: string;
  knex: Knex;
  /** Closes the pool and drops the database (and this process's own cluster, if any). */
  destroy: () => Promise<void>;
}

/** Creates a new, migrated database on the test cluster. */
export async function createTestDatabase(opts: { poolMax?: number } = {}): Promise<TestDatabase> {
  const admin = await adminUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const knex = createDb({ connectionString: url, poolMax: opts.poolMax ?? 10 });
  await migrateLatest(knex);
  return {
    url,
    knex,
    destroy: async () => {
      await knex.destroy();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      if (ownCluster) {
        const running = await ownCluster;
        ownCluster = undefined;
        await running.stop();
      }
    },
  };
}
