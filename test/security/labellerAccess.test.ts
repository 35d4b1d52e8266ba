/**
 * Labeller tokens over real HTTP and real sockets: with a shared LABELLER_TOKEN every /api route
 * is closed to strangers; with a per-labeller tokens file a token only opens its own name, so
 * nobody labels as someone else; and a labeller can never label, skip or undo another's sample.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createTestDatabase } from '@al/db/testing';
import { sha256 } from '@al/server';
import {
  connectClient,
  createFixtureProject,
  labelRowCount,
  emitWithAck,
  startApp,
  type LabellerClient,
} from '../server/helpers';

const ADMIN = 'test-admin-token-0123456789';

function get(url: string, token?: string) {
  return fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
}

async function leaseOne(client: LabellerClient): Promise<number> {
  const ack = await emitWithAck(client, 'sample:next', {});
  assert.ok('data' in ack && ack.data.sample, JSON.stringify(ack));
  return ack.data.sample.id;
}

function errorCode(ack: unknown): string | undefined {
  return (ack as { error?: { code?: string } }).error?.code;
}

test('a shared LABELLER_TOKEN closes every /api route to requests without it', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'guarded', samples: 3 });
  const server = await startApp(db, { config: { LABELLER_TOKEN: 'team-token-42' } });
  try {
    const routes = [
      '/api/projects',
      '/api/projects/guarded/stats',
      '/api/projects/guarded/models',
      '/api/projects/guarded/labels?format=jsonl',
      '/api/samples/1/image?size=64',
    ];
    for (const route of routes) {
      const url = `${server.url}${route}`;
      const none = await get(url);
      assert.equal(none.status, 401, `${route} without a token`);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await get(url, 'team-token-43')).status, 401, `${route} wrong token`);
      assert.equal((await get(url, 'team-token-42')).status, 200, `${route} labeller token`);
      assert.equal((await get(url, ADMIN)).status, 200, `${route} admin token`);
      const sep = route.includes('?') ? '&' : '?';
      assert.equal((await get(`${url}${sep}token=team-token-42`)).status, 200, `${route} ?token=`);
      assert.equal((await get(`${url}${sep}token=nope`)).status, 401, `${route} ?token=nope`);
    }
    const image = await get(`${server.url}/api/samples/1/image?size=64&token=team-token-42`);
    assert.match(image.headers.get('content-type') ?? '', /^image\//);
    assert.equal((await get(`${server.url}/healthz`)).status, 200, 'health stays open');

    // Guessing is slow: refusals (only refusals) are limited to 30 a minute per address.
    let limited = 0;
    for (let i = 0; i < 30; i++) {
      const res = await get(`${server.url}/api/projects`, `guess-${i}`);
      if (res.status === 429) limited++;
    }
    assert.ok(limited > 0, 'refusals past the limit get 429');
    assert.equal(
      (await get(`${server.url}/api/projects`, 'team-token-42')).status,
      200,
      'the right token still works from the same address',
    );

    // The handshake too: 30 refusals a minute per address, then even the right token waits.
    for (let i = 0; i < 30; i++) {
      await assert.rejects(connectClient(server.url, { name: 'eve', token: `guess-${i}` }));
    }
    await assert.rejects(
      connectClient(server.url, { name: 'eve', token: 'team-token-42' }),
      /too many refused handshakes/,
    );
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('per-labeller tokens: a token opens only its own name; nobody touches another labeller’s samples', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'own', samples: 6 });
  const dir = await mkdtemp(path.join(tmpdir(), 'labeller-tokens-'));
  const tokens = { alice: 'alice-token-1234567890', bob: 'bob-token-0987654321' };
  const file = path.join(dir, 'labellers.txt');
  await writeFile(
    file,
    `# issued by hand for the test\nalice:${sha256(tokens.alice).toString('hex')}\n\n` +
      `bob:${sha256(tokens.bob).toString('hex')}\n`,
  );
  const server = await startApp(db, { config: { LABELLER_TOKENS_FILE: file } });
  const clients: LabellerClient[] = [];
  try {
    const refusal = /labeller token for this name/;
    await assert.rejects(connectClient(server.url, { name: 'alice' }), refusal);
    await assert.rejects(connectClient(server.url, { name: 'bob', token: tokens.alice }), refusal);
    await assert.rejects(connectClient(server.url, { name: 'eve', token: tokens.alice }), refusal);
    await assert.rejects(connectClient(server.url, { name: 'alice', token: 'alice' }), refusal);
    const alice = await connectClient(server.url, { name: ' alice ', token: tokens.alice });
    const bob = await connectClient(server.url, { name: 'bob', token: tokens.bob });
    clients.push(alice, bob);
    // Any labeller's token opens the HTTP routes (they carry no name).
    assert.equal((await get(`${server.url}/api/projects`, tokens.bob)).status, 200);
    assert.equal((await get(`${server.url}/api/projects`, 'carol-token')).status, 401);

    const alicesSample = await leaseOne(alice);
    const bobsSample = await leaseOne(bob);
    const before = await labelRowCount(db.knex);
    assert.equal(
      errorCode(await emitWithAck(bob, 'sample:label', { sampleId: alicesSample, value: 'cat' })),
      'NOT_LEASED',
    );
    assert.equal(
      errorCode(await emitWithAck(bob, 'sample:skip', { sampleId: alicesSample })),
      'NOT_LEASED',
    );
    assert.equal(await labelRowCount(db.knex), before, 'bob wrote nothing on alice’s sample');

    const labelled = await emitWithAck(alice, 'sample:label', {
      sampleId: alicesSample,
      value: 'dog',
    });
    assert.ok('data' in labelled);
    // Bob's undo never reaches alice's label: he has none of his own to undo.
    assert.equal(errorCode(await emitWithAck(bob, 'sample:undo', {})), 'NOTHING_TO_UNDO');
    assert.equal(
      errorCode(await emitWithAck(bob, 'sample:label', { sampleId: alicesSample, value: 'cat' })),
      'NOT_LEASED',
      'a labelled sample is not up for grabs either',
    );
    const rows = await db.knex('labels').where({ sample_id: alicesSample }).select('labeller');
    assert.deepEqual(
      rows.map((r: { labeller: string }) => r.labeller),
      ['alice'],
    );
    const undo = await emitWithAck(alice, 'sample:undo', {});
    assert.ok('data' in undo && undo.data.sample.id === alicesSample, 'alice undoes her own');
    // Bob's own lease is untouched by all of this.
    const bobLabel = await emitWithAck(bob, 'sample:label', {
      sampleId: bobsSample,
      value: 'bird',
    });
    assert.ok('data' in bobLabel);

    // The file is re-read while the server runs: carol is issued a token, bob is revoked.
    const carolToken = 'carol-token-5555555555';
    await writeFile(
      file,
      `alice:${sha256(tokens.alice).toString('hex')}\ncarol:${sha256(carolToken).toString('hex')}\n`,
    );
    const until = Date.now() + 10_000;
    let carol: LabellerClient | undefined;
    while (!carol) {
      carol = await connectClient(server.url, { name: 'carol', token: carolToken }).catch(
        async (err: unknown) => {
          if (Date.now() > until) throw err;
          await new Promise((r) => setTimeout(r, 300));
          return undefined;
        },
      );
    }
    clients.push(carol);
    await assert.rejects(connectClient(server.url, { name: 'bob', token: tokens.bob }), refusal);
    assert.equal((await get(`${server.url}/api/projects`, tokens.bob)).status, 401);
  } finally {
    for (const c of clients) c.close();
    await server.close();
    await fixture.cleanup();
    await rm(dir, { recursive: true, force: true });
    await db.destroy();
  }
});

test('a tokens file with a plain token in it, or beside LABELLER_TOKEN, stops the start', async () => {
  const db = await createTestDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'labeller-tokens-'));
  const file = path.join(dir, 'labellers.txt');
  try {
    await writeFile(file, 'alice:plain-secret-token\n');
    await assert.rejects(
      startApp(db, { config: { LABELLER_TOKENS_FILE: file } }),
      (err: Error) =>
        /line 1: expected name:<sha256 hex>/.test(err.message) &&
        !err.message.includes('plain-secret-token'),
    );
    await writeFile(file, `alice:${'a'.repeat(64)}\n`);
    await assert.rejects(
      startApp(db, { config: { LABELLER_TOKENS_FILE: file, LABELLER_TOKEN: 'shared-token' } }),
      /not both/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.destroy();
  }
});
