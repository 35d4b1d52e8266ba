import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { freePort } from '@al/db/testing';
import { createTestDatabase } from '@al/db/testing';
import { openDatabase } from './database';
import { createLogger } from '@al/media';

const logger = createLogger('silent');

async function projectCount(knex: Awaited<ReturnType<typeof openDatabase>>['knex']) {
  const [row] = await knex('projects').count<{ count: number }[]>({ count: '*' });
  return Number(row?.count);
}

test('without DATABASE_URL: starts the embedded cluster once, a second opener reuses it', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'open-db-'));
  // The cluster runs as the postgres user when we are root: it must reach DATA_DIR/pg.
  await chmod(dataDir, 0o755);
  const config = { DATABASE_URL: undefined, DATA_DIR: dataDir, EMBEDDED_PG_PORT: await freePort() };
  try {
    const first = await openDatabase(config, logger);
    try {
      assert.equal(first.startedEmbedded, true);
      assert.ok((await stat(path.join(dataDir, 'pg', 'PG_VERSION'))).isFile());
      assert.equal(await projectCount(first.knex), 0, 'migrated');

      const second = await openDatabase(config, logger);
      assert.equal(second.startedEmbedded, false);
      await second.knex('projects').insert({ name: 'shared', options: JSON.stringify(['a', 'b']) });
      await second.close();
      // Closing the borrower left the owner's cluster running.
      assert.equal(await projectCount(first.knex), 1);
    } finally {
      await first.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('with DATABASE_URL: connects there and migrates', async () => {
  const target = await createTestDatabase({ poolMax: 2 });
  try {
    const db = await openDatabase(
      { DATABASE_URL: target.url, DATA_DIR: '/nonexistent', EMBEDDED_PG_PORT: 1 },
      logger,
    );
    assert.equal(db.startedEmbedded, false);
    assert.equal(db.url, target.url);
    assert.equal(await projectCount(db.knex), 0);
    await db.close();
  } finally {
    await target.destroy();
  }
});
