import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, freePort } from '@al/db/testing';

const START_TIMEOUT_MS = 120_000;

/** Longest a server may take to exit after SIGTERM or SIGINT before the test kills it. */
const STOP_TIMEOUT_MS = 60_000;

interface Started {
  child: ChildProcess;
  output: () => string;
  /** The exit code (null when a signal ended it); set up at spawn, so an early exit counts. */
  exited: Promise<number | null>;
}

/**
 * Runs `npm start`'s entry point with its own data folder and ports; resolves once it serves.
 * `ownGroup`: it leads a process group of its own, like a terminal's foreground job.
 */
async function startProcess(
  env: Record<string, string>,
  opts: { ownGroup?: boolean } = {},
): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/start.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownGroup ?? false,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    // Killed when it misses the deadline: a server left running would keep the test runner
    // alive and turn a failure into a hang.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready in ${START_TIMEOUT_MS} ms:\n${out}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      if (out.includes('labeller ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
  const started = { child, output: () => out, exited };
  running.add(started);
  child.once('exit', () => running.delete(started));
  return started;
}

/** Servers a test started and has not seen exit: a failed assertion must not leave them running. */
const running = new Set<Started>();

/** Stops what a failed test left running (SIGTERM: the server drains and stops its cluster). */
async function stopLeftovers(): Promise<void> {
  await Promise.all([...running].map((started) => stopProcess(started)));
}

/**
 * Sends the signal unless the process has exited already, and resolves with its exit code. A
 * process still running after STOP_TIMEOUT_MS is SIGKILLed and the test fails with its output:
 * a server that ignores its stop signal must not keep the test runner waiting for ever.
 */
async function signalAndWait(started: Started, send: () => void): Promise<number | null> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  send();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `still running ${STOP_TIMEOUT_MS} ms after its stop signal:\n${started.output()}`,
        ),
      );
    }, STOP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([started.exited, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function stopProcess(started: Started): Promise<number | null> {
  return signalAndWait(started, () => started.child.kill('SIGTERM'));
}

/** Ctrl-C in a terminal: SIGINT to every process of the foreground group at once. */
function interruptGroup(started: Started): Promise<number | null> {
  return signalAndWait(started, () => process.kill(-(started.child.pid ?? 0), 'SIGINT'));
}

/**
 * Whether the server (`pid`) logged each message, no earlier than the one before it. By the
 * lines' `time`: lines logged just before process.exit may reach the pipe out of order (pino's
 * asynchronous stdout flushes what is buffered at exit while an earlier write is in flight).
 */
function loggedInOrder(output: string, pid: number | undefined, messages: string[]): boolean {
  const times = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { pid?: number; msg?: string; time?: number };
    const { msg, time } = entry;
    if (entry.pid !== pid || msg === undefined || time === undefined || times.has(msg)) continue;
    times.set(msg, time);
  }
  const logged = messages.map((m) => times.get(m));
  return logged.every((t, k) => t !== undefined && (k === 0 || t >= (logged[k - 1] ?? Infinity)));
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

async function demoCounts(pgPort: number): Promise<{ samples: number; options: string[] }> {
  const client = new pg.Client({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/labeller`,
  });
  await client.connect();
  try {
    const rows = await client.query<{ samples: number; options: string[] }>(
      `SELECT count(s.id)::int AS samples, p.options FROM projects p JOIN samples s ON s.project_id = p.id
       WHERE p.name = 'digits' GROUP BY p.options`,
    );
    return rows.rows[0] ?? { samples: 0, options: [] };
  } finally {
    await client.end();
  }
}

async function waitForJobToLeaveQueue(pgPort: number, jobId: number): Promise<boolean> {
  const client = new pg.Client({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/labeller`,
  });
  await client.connect();
  try {
    for (const started = Date.now(); Date.now() - started < 90_000;) {
      const { rows } = await client.query<{ status: string }>(
        'SELECT status FROM retrain_jobs WHERE id = $1',
        [jobId],
      );
      if (rows[0] && rows[0].status !== 'queued') return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  } finally {
    await client.end();
  }
}

test('npm start: embedded Postgres, demo project on first start only, data kept across restarts', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'labeller-start-'));
  const pgPort = await freePort();
  const env = {
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    PORT: String(await freePort()),
    DEMO_SAMPLES: '40',
    LOG_LEVEL: 'info',
    ADMIN_TOKEN: 'start-test-admin-token-0123456789',
  };
  try {
    const first = await startProcess(env);
    const health = await fetch(`http://127.0.0.1:${env.PORT}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await demoCounts(pgPort), {
      samples: 40,
      options: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    });
    const digitFolders = await readdir(path.join(dataDir, 'demo', 'digits'));
    assert.equal(digitFolders.length, 10);
    // The orchestrator runs beside the server and takes an admin retrain request.
    const retrain = await fetch(`http://127.0.0.1:${env.PORT}/api/projects/digits/retrain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    assert.equal(retrain.status, 202);
    const { jobId } = (await retrain.json()) as { jobId: number };
    assert.equal(await waitForJobToLeaveQueue(pgPort, jobId), true, first.output());
    assert.equal(await stopProcess(first), 0, first.output());
    assert.equal(await portAnswers(pgPort), false, 'the embedded cluster stops with the server');

    const second = await startProcess(env, { ownGroup: true });
    assert.equal(
      (await demoCounts(pgPort)).samples,
      40,
      'a second start neither re-seeds nor loses data',
    );
    assert.doesNotMatch(second.output(), /digits demo ready/);
    // The embedded Postgres is not in the group, so Ctrl-C reaches the server alone: it drains,
    // then stops the cluster itself, which shuts down cleanly (removing postmaster.pid).
    assert.equal(await interruptGroup(second), 0, second.output());
    assert.equal(await portAnswers(pgPort), false, 'the embedded cluster stops with the server');
    assert.equal(existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), false, second.output());
    const order = [
      'shutting down',
      'in-flight requests answered',
      'stopping embedded Postgres',
      'embedded Postgres stopped',
      'stopped',
    ];
    assert.ok(loggedInOrder(second.output(), second.child.pid, order), second.output());
  } finally {
    await stopLeftovers();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test(
  'two servers starting at once on one database seed the demo once',
  { timeout: 4 * START_TIMEOUT_MS },
  async () => {
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'labeller-replicas-'));
    try {
      const common = {
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        DEMO_SAMPLES: '40',
        START_ORCHESTRATOR: 'false',
        ADMIN_TOKEN: 'replica-test-admin-token-0123456789',
      };
      // Port 0: a port picked beforehand could be taken meanwhile by one of their own connections.
      // Both settle before either fails the test, so `finally` stops whichever one started.
      const starting = [
        startProcess({ ...common, PORT: '0' }),
        startProcess({ ...common, PORT: '0' }),
      ] as const;
      await Promise.allSettled(starting);
      const a = await starting[0];
      const b = await starting[1];
      const counts = await db.knex.raw<{ rows: { samples: number }[] }>(
        `SELECT count(*)::int AS samples FROM samples s JOIN projects p ON p.id = s.project_id WHERE p.name = 'digits'`,
      );
      assert.deepEqual(counts.rows, [{ samples: 40 }]);
      assert.equal(await stopProcess(a), 0, a.output());
      assert.equal(await stopProcess(b), 0, b.output());
    } finally {
      await stopLeftovers();
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);

test('a port already in use: the server says so and exits 1 instead of hanging', async () => {
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'labeller-busy-port-'));
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = squatter.address() as AddressInfo;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/start.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        DEMO_SAMPLES: '10',
        START_ORCHESTRATOR: 'false',
        HOST: '127.0.0.1',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, START_TIMEOUT_MS);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 1, `exit code (null: still running after ${START_TIMEOUT_MS} ms)\n${out}`);
    assert.match(out, new RegExp(`port ${port} .*in use`), out);
  } finally {
    squatter.close();
    await db.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
});
