/**
 * A mistyped setting is named in the error, never echoed: the value may be a secret (a password
 * in a malformed DATABASE_URL, a token that is too short).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '@al/server';

test('configuration errors name the variable, never its value', () => {
  const secrets = {
    DATABASE_URL: 'postgres//user:Sup3rSecretPw@db:5432/labeller', // missing ':' — not a URL
    ADMIN_TOKEN: 'sh0rt-Adm1n',
    LABELLER_TOKEN: 'Lab7',
    CORS_ORIGINS: 'https://ok.example,not-an-origin-S3cr3t',
  };
  assert.throws(
    () => loadConfig(secrets),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      for (const name of Object.keys(secrets)) assert.match(err.message, new RegExp(name));
      for (const value of ['Sup3rSecretPw', 'sh0rt-Adm1n', 'Lab7', 'S3cr3t']) {
        assert.ok(!err.message.includes(value), `${value} echoed in: ${err.message}`);
      }
      return true;
    },
  );
  assert.deepEqual(
    loadConfig({ CORS_ORIGINS: 'https://a.example/, http://b.example:5173' }).CORS_ORIGINS,
    ['https://a.example', 'http://b.example:5173'],
  );
});

test(".env.example's placeholder tokens are refused, with what to do instead", () => {
  const example = readFileSync(path.join(import.meta.dirname, '../../.env.example'), 'utf8');
  const adminToken = /^ADMIN_TOKEN=(.+)$/m.exec(example)?.[1];
  assert.ok(adminToken, '.env.example sets ADMIN_TOKEN');
  assert.throws(
    () => loadConfig({ ADMIN_TOKEN: adminToken }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /ADMIN_TOKEN is still the example value/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ LABELLER_TOKEN: 'change-me-labellers' }), /LABELLER_TOKEN/);
  assert.equal(
    loadConfig({ ADMIN_TOKEN: 'a-token-of-my-own-0123' }).ADMIN_TOKEN,
    'a-token-of-my-own-0123',
  );
});
