/** One throw-away PostgreSQL cluster for the whole bench, a fresh database per run. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startTestCluster } from '@al/db/testing';

export interface BenchDatabase {
  url: string;
  drop: () => Promise<void>;
}

export interface BenchCluster {
  createDatabase: () => Promise<BenchDatabase>;
  stop: () => Promise<void>;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startBenchCluster(): Promise<BenchCluster> {
  let cluster: Awaited<ReturnType<typeof startTestCluster>>;
  try {
    cluster = await startTestCluster();
  } catch (err) {
    throw new Error(`could not start the embedded PostgreSQL cluster: ${String(err)}`, {
      cause: err,
    });
  }
  const { adminUrl } = cluster;
  return {
    createDatabase: async () => {
      // Empty: the import CLI and the server migrate it, as they would a user's database.
      const name = `al_bench_${randomBytes(5).toString('hex')}`;
      await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
      return {
        url: adminUrl.replace(/\/[^/]*$/, `/${name}`),
        drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      };
    },
    stop: () => cluster.stop(),
  };
}
