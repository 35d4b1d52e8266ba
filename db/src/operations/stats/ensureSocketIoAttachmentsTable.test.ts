import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../testing/testPostgres';
import { ensureSocketIoAttachmentsTable } from './ensureSocketIoAttachmentsTable';

test('many processes creating the socket.io attachments table at once all succeed', async () => {
  const db = await createTestDatabase();
  try {
    // Unlocked, concurrent CREATE TABLE IF NOT EXISTS fails for some of the racers on most
    // rounds (duplicate row type or catalog key); each round starts without the table.
    for (let round = 0; round < 5; round++) {
      await db.knex.raw('DROP TABLE IF EXISTS socket_io_attachments');
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => ensureSocketIoAttachmentsTable({ knex: db.knex })),
      );
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected'),
        [],
      );
    }
    const columns = await db.knex.raw<{ rows: { column_name: string }[] }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'socket_io_attachments' ORDER BY ordinal_position`,
    );
    assert.deepEqual(
      columns.rows.map((r) => r.column_name),
      ['id', 'created_at', 'payload'],
    );
  } finally {
    await db.destroy();
  }
});
