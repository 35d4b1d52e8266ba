import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '@al/db/testing';
import {
  connectClient,
  createFixtureProject,
  labelRowCount,
  emitWithAck,
  emitRaw,
  startApp,
  type LabellerClient,
} from './helpers';

function errorCode(ack: unknown): string | undefined {
  const a = ack as { error?: { code?: string; message?: string } };
  return a.error?.code;
}

async function leaseOne(client: LabellerClient): Promise<number> {
  const ack = await emitWithAck(client, 'sample:next', {});
  assert.ok('data' in ack && ack.data.sample);
  return ack.data.sample.id;
}

test('malformed or forbidden requests get a coded error ack and change nothing', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'strict', samples: 10 });
  const server = await startApp(db);
  try {
    const alice = await connectClient(server.url, { name: 'alice' });
    const bob = await connectClient(server.url, { name: 'bob' });
    const mine = await leaseOne(alice);
    const bobs = await leaseOne(bob);
    const before = await labelRowCount(db.knex);

    const cases: [string, unknown[], string][] = [
      ['sample:label', [{ sampleId: 'one', value: 'cat' }], 'BAD_REQUEST'],
      ['sample:label', [{ sampleId: mine, value: 42 }], 'BAD_REQUEST'],
      ['sample:label', [{ sampleId: mine, value: 'x'.repeat(20_000) }], 'BAD_REQUEST'],
      ['sample:label', [{ sampleId: mine, value: [] }], 'BAD_REQUEST'],
      ['sample:label', [{ sampleId: mine, value: 'cat', extra: true }], 'BAD_REQUEST'],
      ['sample:label', [{ sampleId: -3, value: 'cat' }], 'BAD_REQUEST'],
      ['sample:label', ['not an object'], 'BAD_REQUEST'],
      ['sample:label', [], 'BAD_REQUEST'],
      ['sample:label', [{ sampleId: 987_654_321, value: 'cat' }], 'SAMPLE_NOT_FOUND'],
      ['sample:label', [{ sampleId: bobs, value: 'cat' }], 'NOT_LEASED'],
      ['sample:label', [{ sampleId: mine, value: 'horse' }], 'INVALID_LABEL'],
      ['sample:label', [{ sampleId: mine, value: ['cat', 'dog'] }], 'INVALID_LABEL'],
      ['sample:skip', [{ sampleId: bobs }], 'NOT_LEASED'],
      ['sample:skip', [{ sampleId: 1.5 }], 'BAD_REQUEST'],
      ['sample:next', [{ unexpected: 1 }], 'BAD_REQUEST'],
      ['sample:undo', [{}], 'NOTHING_TO_UNDO'],
    ];
    for (const [event, args, code] of cases) {
      const ack = await emitRaw(alice, event, ...args);
      assert.equal(errorCode(ack), code, `${event} ${JSON.stringify(args).slice(0, 80)}`);
      const message = (ack as { error: { message: string } }).error.message;
      assert.ok(message.length > 0 && message.length <= 300, 'a short, clear message');
    }
    assert.equal(await labelRowCount(db.knex), before, 'label table unchanged');

    // A message over maxHttpBufferSize closes that client's connection; the server stays up.
    const flooder = await connectClient(server.url, { name: 'flooder' });
    const closed = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    flooder.emit('sample:skip', { sampleId: 1, clientKey: 'y'.repeat(100_000) }, () => undefined);
    assert.match(await closed, /transport (close|error)/);

    // The server still works: alice labels her sample and undoes it.
    const ok = await emitWithAck(alice, 'sample:label', { sampleId: mine, value: 'dog' });
    assert.ok('data' in ok);
    const undo = await emitWithAck(alice, 'sample:undo', {});
    assert.ok('data' in undo);
    assert.equal(undo.data.sample.id, mine);
    assert.equal(undo.data.leased, true);
    assert.equal(undo.data.progress.mine, 0);
    alice.close();
    bob.close();
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('the handshake refuses a bad name, an unknown project and a wrong labeller token', async () => {
  const db = await createTestDatabase();
  const one = await createFixtureProject(db.knex, { name: 'first', samples: 1 });
  const server = await startApp(db, { config: { LABELLER_TOKEN: 'labeller-secret' } });
  try {
    const token = 'labeller-secret';
    await assert.rejects(connectClient(server.url, { name: '   ', token }), /bad auth/);
    await assert.rejects(connectClient(server.url, { name: 'n'.repeat(65), token }), /bad auth/);
    await assert.rejects(connectClient(server.url, { name: 'eve' }), /labeller token/);
    await assert.rejects(
      connectClient(server.url, { name: 'eve', token: 'guess' }),
      /labeller token/,
    );
    await assert.rejects(
      connectClient(server.url, { name: 'eve', token, project: 'nope' }),
      /unknown project "nope"/,
    );
    // One project: it is the default. Two: the client must choose.
    const solo = await connectClient(server.url, { name: '  dana  ', token });
    const ack = await emitWithAck(solo, 'sample:next', {});
    assert.ok('data' in ack && ack.data.sample);
    assert.equal(ack.data.sample.imageUrl, `/api/samples/${ack.data.sample.id}/image`);
    assert.deepEqual(ack.data.sample.options, ['cat', 'dog', 'bird']);
    const lease = await db
      .knex('samples')
      .where({ id: ack.data.sample.id })
      .first<{ lease_owner: string } | undefined>('lease_owner');
    assert.deepEqual(lease, { lease_owner: 'dana' }, 'the name is trimmed');
    solo.close();
    const two = await createFixtureProject(db.knex, { name: 'second', samples: 1 });
    await assert.rejects(connectClient(server.url, { name: 'eve', token }), /several projects/);
    const chosen = await connectClient(server.url, { name: 'eve', token, project: 'second' });
    chosen.close();
    await two.cleanup();
  } finally {
    await server.close();
    await one.cleanup();
    await db.destroy();
  }
});
