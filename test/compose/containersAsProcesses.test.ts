/**
 * The `ui` and `orchestrator` containers' own commands (Dockerfile CMD) and environments
 * (docker-compose config with .env.example) run here as plain processes against a Postgres set
 * up like the `db` service; a socket.io labeller labels through them, an admin retrain reaches
 * the orchestrator, and Debian's Adminer logs into the same database in headless Chromium.
 * The only substitutions are what a container has and this machine does not: the `db` host
 * name, the /data folder, a free port, 40 demo samples, and no native TensorFlow package; and
 * an admin token of its own, since the server refuses .env.example's placeholder.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { startEmbeddedPostgres, type RunningPostgres } from '@al/db';
import { freePort } from '@al/db/testing';
import type {
  Ack,
  ClientToServerEvents,
  LabelResult,
  NextResult,
  ServerToClientEvents,
} from '@al/contract';
import { loadComposeConfig, readDockerfile, REPO_ROOT, service, serviceEnv } from './composeFile';
import { runOnce, startProcess, waitForOutput, type Running } from './processes';
import { showTablesInAdminer } from './adminer';

const config = loadComposeConfig();
const dbEnv = serviceEnv(service(config, 'db'));
const ui = readDockerfile('Dockerfile.ui');
const trainer = readDockerfile('Dockerfile.trainer');
const ADMIN_TOKEN = 'compose-processes-admin-token';

let workDir = '';
let postgres: RunningPostgres | undefined;
let databaseUrl = '';

/** compose's DATABASE_URL with the `db` service's address replaced by the local cluster's. */
function localUrl(composeUrl: string | undefined, port: number): string {
  if (!composeUrl?.includes('@db:5432/')) {
    assert.fail(`DATABASE_URL does not point at db:5432: ${String(composeUrl)}`);
  }
  return composeUrl.replace('@db:5432/', `@127.0.0.1:${port}/`);
}

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'compose-processes-'));
  const port = await freePort();
  // What the postgres image does on first start: superuser, password and database from env.
  postgres = await startEmbeddedPostgres({
    dataDir: path.join(workDir, 'pg'),
    port,
    user: dbEnv.POSTGRES_USER,
    password: dbEnv.POSTGRES_PASSWORD,
    database: dbEnv.POSTGRES_DB,
  });
  databaseUrl = localUrl(serviceEnv(service(config, 'ui')).DATABASE_URL, port);
  assert.equal(
    localUrl(serviceEnv(service(config, 'orchestrator')).DATABASE_URL, port),
    databaseUrl,
  );
});

after(async () => {
  await postgres?.stop();
  await rm(workDir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

type Labeller = Socket<ServerToClientEvents, ClientToServerEvents>;

async function labelSome(port: number, count: number): Promise<number[]> {
  const socket: Labeller = io(`http://127.0.0.1:${port}`, {
    auth: { name: 'compose-labeller', project: 'digits' },
    transports: ['websocket'],
  });
  try {
    const labelled: number[] = [];
    for (let i = 0; i < count; i++) {
      const next = await new Promise<Ack<NextResult>>((resolve) => {
        socket.emit('sample:next', {}, resolve);
      });
      assert.ok('data' in next, JSON.stringify(next));
      const sample = next.data.sample;
      assert.ok(sample, 'the demo project hands out a sample');
      const value = sample.options[0] ?? '0';
      const ack = await new Promise<Ack<LabelResult>>((resolve) => {
        socket.emit('sample:label', { sampleId: sample.id, value }, resolve);
      });
      assert.ok('data' in ack, JSON.stringify(ack));
      labelled.push(sample.id);
    }
    return labelled;
  } finally {
    socket.disconnect();
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 90_000) {
  for (const started = Date.now(); Date.now() - started < ms;) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  assert.fail(`${what} within ${ms} ms`);
}

test('ui and orchestrator commands: label through the server, retrain taken by the trainer', async () => {
  const uiPort = await freePort();
  const dataDir = path.join(workDir, 'data');
  await mkdir(dataDir);
  const uiEnv = {
    ...ui.env,
    ...serviceEnv(service(config, 'ui')),
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: String(uiPort),
    HOST: '127.0.0.1',
    DEMO_SAMPLES: '40',
    ADMIN_TOKEN,
  };
  const trainerEnv: Record<string, string> = {
    ...trainer.env,
    ...serviceEnv(service(config, 'orchestrator')),
    DATABASE_URL: databaseUrl,
  };
  // tfjs-node-gpu cannot install here: let the orchestrator choose among what loads.
  delete trainerEnv.TF_BACKEND;

  let server: Running | undefined;
  let orchestrator: Running | undefined;
  try {
    server = startProcess(ui.cmd, uiEnv);
    await waitForOutput(server, /labeller ready/);
    assert.equal(await runOnce(ui.healthcheck, uiEnv), 0, 'ui HEALTHCHECK passes');
    // START_ORCHESTRATOR=false: no trainer yet, so the trainer's HEALTHCHECK fails.
    assert.equal(await runOnce(trainer.healthcheck, trainerEnv), 1, 'no orchestrator yet');

    orchestrator = startProcess(trainer.cmd, trainerEnv);
    await waitForOutput(orchestrator, /orchestrator running/);

    const labelled = await labelSome(uiPort, 5);
    assert.equal(new Set(labelled).size, 5, 'five different samples');
    const [counted] = await query<{ n: number }>(
      'SELECT count(*)::int AS n FROM labels WHERE sample_id = ANY($1::bigint[])',
      [labelled],
    );
    assert.equal(counted?.n, 5, 'five labels stored');

    const retrain = await fetch(`http://127.0.0.1:${uiPort}/api/projects/digits/retrain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(retrain.status, 202);
    const { jobId } = (await retrain.json()) as { jobId: number };
    await waitFor(async () => {
      const [job] = await query<{ status: string }>(
        'SELECT status FROM retrain_jobs WHERE id = $1',
        [jobId],
      );
      return job !== undefined && job.status !== 'queued';
    }, `retrain job ${jobId} leaves 'queued'\n${orchestrator.output()}`);
    await waitFor(
      async () => (await runOnce(trainer.healthcheck, trainerEnv)) === 0,
      'the trainer HEALTHCHECK passes',
      30_000,
    );
  } finally {
    const trainerExit = (await orchestrator?.stop()) ?? 0;
    const uiExit = (await server?.stop()) ?? 0;
    assert.equal(trainerExit, 0, orchestrator?.output());
    assert.equal(uiExit, 0, server?.output());
  }
});

test('Adminer (Debian package, php -S) logs into the database and shows samples and labels', async () => {
  const tables = await showTablesInAdminer({
    server: databaseUrl.replace(/^.*@([^/]+)\/.*$/, '$1'),
    username: dbEnv.POSTGRES_USER ?? '',
    password: dbEnv.POSTGRES_PASSWORD ?? '',
    database: dbEnv.POSTGRES_DB ?? '',
    screenshot: path.join(REPO_ROOT, 'test-artifacts', 'adminer-tables.png'),
  });
  assert.ok(tables.includes('samples'), tables.join(', '));
  assert.ok(tables.includes('labels'), tables.join(', '));
});
