/**
 * No secret in any output: real `npm start` (server + orchestrator) and `npm run import`
 * processes run with a recognisable DB password, admin token, labeller token and AWS secret key;
 * requests with right and wrong tokens, refused handshakes, severed database connections, a
 * server that cannot log in and an import from an unreachable S3 endpoint all log at debug
 * level; all of their stdout and stderr is searched for every secret.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { io as connect } from 'socket.io-client';
import { freePort } from '@al/db/testing';
import { createTestDatabase } from '@al/db/testing';
import { createFixtureProject } from '../server/helpers';

const ROOT = path.resolve(import.meta.dirname, '../..');
const suffix = randomBytes(4).toString('hex');
const SECRETS = {
  dbPassword: `DbPw-${suffix}-q8Zx`,
  wrongDbPassword: `WrongPw-${suffix}-k2Lm`,
  adminToken: `AdminTok-${suffix}-0123456789`,
  labellerToken: `LabTok-${suffix}-xy`,
  awsSecret: `AwsSecret/${suffix}+Vb3nQ`,
};

interface Captured {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runProcess(script: string, args: string[], env: Record<string, string>): Captured {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr.on('data', (c: Buffer) => chunks.push(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => chunks.join(''), exited };
}

async function waitFor(what: string, check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function handshake(url: string, auth: Record<string, string>): Promise<string> {
  const socket = connect(url, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
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

test(
  'server, orchestrator and import CLI print no secret, whatever happens',
  { timeout: 90_000 },
  async () => {
    const db = await createTestDatabase();
    const fixture = await createFixtureProject(db.knex, { name: 'quiet', samples: 4 });
    const role = `logcheck_${suffix}`;
    await db.knex.raw(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${SECRETS.dbPassword}'`);
    const dbUrl = new URL(db.url);
    dbUrl.username = role;
    dbUrl.password = SECRETS.dbPassword;
    const databaseUrl = dbUrl.toString();
    const env = {
      DATABASE_URL: databaseUrl,
      ADMIN_TOKEN: SECRETS.adminToken,
      LABELLER_TOKEN: SECRETS.labellerToken,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID',
      AWS_SECRET_ACCESS_KEY: SECRETS.awsSecret,
      AWS_REGION: 'eu-west-1',
      LOG_LEVEL: 'debug',
      SEED_DEMO: 'false',
      HOST: '127.0.0.1',
    };
    const outputs: Record<string, () => string> = {};
    const processes: Captured[] = [];
    try {
      const port = await freePort();
      const server = runProcess('server/src/cli/start.ts', [], { ...env, PORT: String(port) });
      processes.push(server);
      outputs.server = server.output;
      await waitFor('the server', () => server.output().includes('labeller ready'), 40_000);
      const base = `http://127.0.0.1:${port}`;
      const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

      // Right and wrong tokens, in headers, query strings and handshakes.
      assert.equal(
        (await fetch(`${base}/api/projects`, bearer(SECRETS.labellerToken))).status,
        200,
      );
      assert.equal(
        (await fetch(`${base}/api/projects`, bearer(`${SECRETS.labellerToken}x`))).status,
        401,
      );
      const image = `${base}/api/samples/1/image?size=64&token=${encodeURIComponent(SECRETS.labellerToken)}`;
      assert.equal((await fetch(image)).status, 200);
      assert.equal((await fetch(`${base}/api/projects?token=${SECRETS.adminToken}x`)).status, 401);
      const retrain = `${base}/api/projects/quiet/retrain`;
      assert.equal(
        (await fetch(retrain, { method: 'POST', ...bearer(SECRETS.adminToken) })).status,
        202,
      );
      assert.equal(
        (await fetch(retrain, { method: 'POST', ...bearer(SECRETS.labellerToken) })).status,
        401,
      );
      assert.equal(
        await handshake(base, { name: 'ann', token: SECRETS.labellerToken }),
        'connected',
      );
      assert.match(await handshake(base, { name: 'ann', token: SECRETS.adminToken }), /token/);
      assert.equal(
        (
          await fetch(`${base}/api/projects/quiet/settings`, {
            method: 'PUT',
            headers: {
              authorization: `Bearer ${SECRETS.adminToken}`,
              'content-type': 'application/json',
            },
            body: '{"broken json',
          })
        ).status,
        400,
      );

      await waitFor(
        'the orchestrator',
        () => server.output().includes('"component":"orchestrator"'),
        30_000,
      );

      // Database errors: sever every connection of the server's role, then use the API.
      await db.knex.raw(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?',
        [role],
      );
      for (let i = 0; i < 3; i++) {
        await fetch(`${base}/healthz`);
        await fetch(`${base}/api/projects/quiet/stats`, bearer(SECRETS.labellerToken));
      }

      // A server that cannot log in (wrong password), and an import from an unreachable S3.
      const wrongUrl = new URL(databaseUrl);
      wrongUrl.password = SECRETS.wrongDbPassword;
      const refused = runProcess('server/src/cli/start.ts', [], {
        ...env,
        DATABASE_URL: wrongUrl.toString(),
        PORT: String(await freePort()),
        START_ORCHESTRATOR: 'false',
      });
      processes.push(refused);
      outputs.wrongPassword = refused.output;
      const deadS3 = await freePort();
      const importer = runProcess(
        'server/src/cli/import.ts',
        ['--project', 'from-s3', '--labels', 'a,b', 's3://no-bucket/prefix'],
        { ...env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${deadS3}`, S3_FORCE_PATH_STYLE: 'true' },
      );
      processes.push(importer);
      outputs.importer = importer.output;
      const [refusedCode, importCode] = await Promise.all([refused.exited, importer.exited]);
      assert.notEqual(importCode, 0, 'the import failed');
      // Whether a wrong password is refused depends on the cluster's auth; either way, no secret.
      if (refusedCode === null) refused.child.kill('SIGTERM');

      // Let the orchestrator meet the severed connections too, then stop everything.
      await new Promise((r) => setTimeout(r, 1_500));
      server.child.kill('SIGTERM');
      await server.exited;
      // For a person checking by eye: SECRETS_LOG_DUMP=<file> keeps everything that was printed.
      const dumpTo = process.env.SECRETS_LOG_DUMP;
      if (dumpTo !== undefined) {
        await writeFile(
          dumpTo,
          Object.values(outputs)
            .map((output) => output())
            .join('\n'),
        );
      }

      const all = Object.entries(outputs).map(([name, output]) => [name, output()] as const);
      for (const [name, output] of all) {
        assert.ok(output.length > 0, `${name} printed something`);
        for (const [secretName, secret] of Object.entries(SECRETS)) {
          for (const form of new Set([secret, encodeURIComponent(secret)])) {
            assert.ok(!output.includes(form), `${secretName} appears in the output of ${name}`);
          }
        }
      }
      const serverLog = outputs.server();
      assert.match(serverLog, /"url":"\/api\/projects"/, 'requests were logged');
      assert.match(serverLog, /token=\[redacted\]/, 'the query token was logged redacted');
      assert.match(serverLog, /"authorization":"\[redacted\]"/);
      assert.match(outputs.importer(), /error/i);
    } finally {
      for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await fixture.cleanup();
      await db.destroy();
      const admin = new URL(db.url);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP ROLE IF EXISTS ${role}`);
      await client.end();
    }
  },
);
