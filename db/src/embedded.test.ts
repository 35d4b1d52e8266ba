import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded';
import { freePort } from './testing/freePort';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<Record<string, unknown>>(sql);
    return result.rows;
  } finally {
    await client.end();
  }
}

test('the embedded cluster keeps its data across a stop and a start', async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'labeller-embedded-'));
  const dataDir = path.join(parent, 'pg');
  try {
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, database: 'app' });
    await query(first.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)');
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port, database: 'app' });
    try {
      assert.deepEqual(await query(second.url, 'SELECT v FROM kept'), [{ v: 'still here' }]);
      const [server] = (await query(second.url, 'SHOW server_version_num')) as {
        server_version_num: string;
      }[];
      assert.ok(Number(server?.server_version_num) >= 150000);
    } finally {
      await second.stop();
    }
    if (userInfo().uid === 0) {
      // Postgres refuses root: the folder belongs to the unprivileged user it runs as.
      assert.notEqual((await stat(dataDir)).uid, 0);
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
