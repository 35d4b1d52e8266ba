/**
 * The system under test, started as a user starts it: `node --import tsx server/src/cli/start.ts`
 * on a free port of 127.0.0.1, and the orchestrator either as npm start's own child (niced by
 * its supervisor) or, with START_ORCHESTRATOR=false, as a process of the bench's own under
 * `nice -n 19`, at normal priority or as SCHED_IDLE, so they differ in nothing but the priority. All of them run in the
 * bench's session, as in one terminal (see processes.ts on why sessions matter to `nice`).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@al/db/testing';
import { AdminApi } from './api';
import type { OrchestratorMode } from './args';
import { spawnNode, type Child, type Priority } from './processes';
import { childPids, commandLine } from './procStats';

const HEALTH_TIMEOUT_MS = 120_000;
const OWN_ORCHESTRATOR_PRIORITY: Record<OrchestratorMode, Priority> = {
  supervised: 'normal', // not started by the bench
  niced: 'nice',
  'not-niced': 'normal',
  'sched-idle': 'sched-idle',
};
const CHILD_TIMEOUT_MS = 30_000;

export interface RunningSystem {
  url: string;
  api: AdminApi;
  server: Child;
  /** The bench's own orchestrator process (every mode but supervised). */
  ownOrchestrator: Child | undefined;
  orchestratorPid: number;
  /** Warnings and errors of server and orchestrator, by message. */
  problems: () => Map<string, number>;
  /** Throws when the server or the orchestrator has died. */
  assertAlive: () => void;
  stop: () => Promise<void>;
}

/**
 * The server's orchestrator child, by its command line: the server has other children (tsx's
 * esbuild service). The `nice` wrapper execs node, so the pid stays the same.
 */
async function supervisedOrchestratorPid(serverPid: number): Promise<number> {
  const deadline = performance.now() + CHILD_TIMEOUT_MS;
  for (;;) {
    const pid = childPids(serverPid).find((c) => /orchestrator/.test(commandLine(c)));
    if (pid !== undefined) return pid;
    if (performance.now() > deadline) throw new Error('the server started no orchestrator child');
    await sleep(200);
  }
}

export async function startSystem(opts: {
  repoRoot: string;
  databaseUrl: string;
  dataDir: string;
  mode: OrchestratorMode;
}): Promise<RunningSystem> {
  const port = await freePort();
  const adminToken = randomBytes(24).toString('hex');
  const server = spawnNode({
    name: 'server',
    session: 'bench',
    script: 'server/src/cli/start.ts',
    env: {
      DATABASE_URL: opts.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_TOKEN: adminToken,
      SEED_DEMO: 'false',
      START_ORCHESTRATOR: opts.mode === 'supervised' ? 'true' : 'false',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      DATA_DIR: opts.dataDir,
    },
    cwd: opts.repoRoot,
  });
  const url = `http://127.0.0.1:${port}`;
  const api = new AdminApi(url, adminToken);
  const deadline = performance.now() + HEALTH_TIMEOUT_MS;
  while (!(await api.healthy())) {
    if (server.hasExited() || performance.now() > deadline) {
      await server.stop();
      throw new Error(`the server did not answer /healthz:\n${server.tail()}`);
    }
    await sleep(250);
  }
  let ownOrchestrator: Child | undefined;
  let orchestratorPid: number;
  try {
    if (opts.mode === 'supervised') {
      orchestratorPid = await supervisedOrchestratorPid(server.pid ?? -1);
    } else {
      ownOrchestrator = spawnNode({
        name: 'orchestrator',
        session: 'bench',
        script: 'orchestrator/src/cli/run.ts',
        env: { DATABASE_URL: opts.databaseUrl, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
        cwd: opts.repoRoot,
        priority: OWN_ORCHESTRATOR_PRIORITY[opts.mode],
      });
      orchestratorPid = ownOrchestrator.pid ?? -1;
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  const children = [server, ...(ownOrchestrator ? [ownOrchestrator] : [])];
  return {
    url,
    api,
    server,
    ownOrchestrator,
    orchestratorPid,
    problems: () => {
      const all = new Map<string, number>();
      for (const c of children) {
        for (const [m, n] of c.problems) all.set(m, (all.get(m) ?? 0) + n);
      }
      return all;
    },
    assertAlive: () => {
      for (const c of children) {
        if (c.hasExited()) throw new Error(`the ${c.name} process exited:\n${c.tail()}`);
      }
      if (opts.mode === 'supervised' && !childPids(server.pid ?? -1).includes(orchestratorPid)) {
        throw new Error(`npm start's orchestrator child died (it is restarted):\n${server.tail()}`);
      }
    },
    stop: async () => {
      await ownOrchestrator?.stop();
      await server.stop();
    },
  };
}
