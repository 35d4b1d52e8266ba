/**
 * A mistyped setting is named in the error, never echoed: the value may be a secret (a password
 * in a malformed DATABASE_URL, a token that is too short).
 */
import assert from 'node:assert/strict';
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
