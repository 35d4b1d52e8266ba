import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createTestDatabase } from '@al/db/testing';
import { REDACT_PATHS } from '@al/media';
import { startApp } from './helpers';

test('request logs never contain the Authorization or Cookie header values', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino(
    { level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    sink,
  );
  const db = await createTestDatabase();
  const server = await startApp(db, { logger });
  try {
    const res = await fetch(`${server.url}/api/projects/none/retrain`, {
      method: 'POST',
      headers: { authorization: 'Bearer super-secret-value', cookie: 'session=cookie-secret' },
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('content-security-policy')?.includes('upgrade-insecure'), false);
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    const log = lines.join('');
    assert.match(log, /"url":"\/api\/projects\/none\/retrain"/, 'the request was logged');
    assert.match(log, /\[redacted\]/);
    assert.doesNotMatch(log, /super-secret-value|cookie-secret/);
  } finally {
    await server.close();
    await db.destroy();
  }
});
