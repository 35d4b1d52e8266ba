/**
 * CORS closed by default (HTTP and the socket handshake), CORS_ORIGINS opening it for a listed
 * origin, security headers, body size limit, and the admin routes' token and rate limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io as connect } from 'socket.io-client';
import { createTestDatabase } from '@al/db/testing';
import { createFixtureProject, startApp } from '../server/helpers';

const ADMIN = 'test-admin-token-0123456789';
const FRIEND = 'https://labels.example.org';

/** A socket.io handshake sending `origin` (as a browser on that page would): 'connected' or the refusal. */
function handshake(url: string, origin: string | undefined): Promise<string> {
  const socket = connect(url, {
    auth: { name: 'probe' },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: origin === undefined ? {} : { origin },
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}

test('foreign origins are refused (HTTP and socket) unless CORS_ORIGINS lists them', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'cors', samples: 1 });
  const server = await startApp(db, { config: { CORS_ORIGINS: [FRIEND] } });
  try {
    const host = new URL(server.url).host;
    const fromEvil = await fetch(`${server.url}/api/projects`, {
      headers: { origin: 'https://evil.example.com' },
    });
    assert.equal(fromEvil.status, 403);
    assert.equal(fromEvil.headers.get('access-control-allow-origin'), null);
    const post = await fetch(`${server.url}/api/projects/cors/retrain`, {
      method: 'POST',
      headers: { origin: 'null', authorization: `Bearer ${ADMIN}` },
    });
    assert.equal(post.status, 403, 'a cross-site POST with the right token still never runs');
    const sameOrigin = await fetch(`${server.url}/api/projects`, {
      headers: { origin: `http://${host}` },
    });
    assert.equal(sameOrigin.status, 200, 'the UI’s own origin');
    const friend = await fetch(`${server.url}/api/projects`, { headers: { origin: FRIEND } });
    assert.equal(friend.status, 200);
    assert.equal(friend.headers.get('access-control-allow-origin'), FRIEND);
    const preflight = await fetch(`${server.url}/api/projects/cors/retrain`, {
      method: 'OPTIONS',
      headers: {
        origin: FRIEND,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);

    assert.notEqual(await handshake(server.url, 'https://evil.example.com'), 'connected');
    assert.equal(await handshake(server.url, FRIEND), 'connected');
    assert.equal(await handshake(server.url, `http://${host}`), 'connected');
    assert.equal(await handshake(server.url, undefined), 'connected', 'non-browser clients');
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('security headers, body size limit, admin token and admin rate limit', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'limits', samples: 1 });
  const server = await startApp(db); // no CORS_ORIGINS: closed to every foreign origin
  try {
    assert.equal(
      (await fetch(`${server.url}/api/projects`, { headers: { origin: FRIEND } })).status,
      403,
    );
    assert.notEqual(await handshake(server.url, FRIEND), 'connected');

    const res = await fetch(`${server.url}/api/projects`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'self'/);
    assert.match(csp, /object-src 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-powered-by'), null);

    const settings = `${server.url}/api/projects/limits/settings`;
    const huge = await fetch(settings, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ function: 'x'.repeat(20_000) }),
    });
    assert.equal(huge.status, 413, 'a body over 16 kB is refused before any handler');

    // Admin routes: 401 without or with a wrong token, then 429 once the minute's quota is used
    // (30 for retrain), even for the right token: the limit runs first.
    const retrain = `${server.url}/api/projects/limits/retrain`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const token = i === 0 ? ADMIN : `wrong-${i}`;
      statuses.push(
        (await fetch(retrain, { method: 'POST', headers: { authorization: `Bearer ${token}` } }))
          .status,
      );
    }
    assert.equal(statuses[0], 202);
    assert.ok(
      statuses.slice(1, 30).every((s) => s === 401),
      statuses.join(','),
    );
    assert.equal(statuses[30], 429);
    const after = await fetch(retrain, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    assert.equal(after.status, 429);
    assert.match(after.headers.get('retry-after') ?? '', /^\d+$/, 'says when to retry');
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});
