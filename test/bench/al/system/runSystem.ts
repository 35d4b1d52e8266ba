/**
 * Starts the system under test the way a user does: the import CLI (`npm run import`) into a
 * fresh database, then `npm start` (server + orchestrator) on a free port, until /healthz.
 */
import { randomBytes } from 'node:crypto';
import { freePort } from '@al/db/testing';
import { SystemApi } from './api';
import { scriptPath, spawnNodeScript, type ChildHandle } from './processes';

const IMPORT_TIMEOUT_MS = 10 * 60_000;
const HEALTH_TIMEOUT_MS = 120_000;

function tail(lines: string[], n = 25): string {
  return lines
    .slice(-n)
    .map((l) => `    | ${l}`)
    .join('\n');
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function importFolder(opts: {
  repoRoot: string;
  databaseUrl: string;
  project: string;
  labels: string[];
  folder: string;
}): Promise<{ ms: number; summary: string }> {
  const started = performance.now();
  const child = spawnNodeScript(
    'import',
    scriptPath(opts.repoRoot, 'import'),
    ['--project', opts.project, '--labels', opts.labels.join(','), opts.folder],
    { DATABASE_URL: opts.databaseUrl, LOG_LEVEL: 'warn' },
    opts.repoRoot,
  );
  try {
    const code = await withTimeout(child.exited, IMPORT_TIMEOUT_MS, 'the import CLI');
    if (code !== 0) {
      throw new Error(`the import CLI exited with ${String(code)}:\n${tail(child.output())}`);
    }
  } finally {
    await child.stop();
  }
  return { ms: performance.now() - started, summary: child.output().slice(-2).join(' / ') };
}

/** The log lines ordersWritten.ts reads. */
const ORDER_WRITTEN_LINE =
  /"msg":"(cold-start order written|model trained and queue reordered|orchestrator running)"/;

export interface RunningSystem {
  api: SystemApi;
  url: string;
  child: ChildHandle;
  stop: () => Promise<void>;
}

export async function startSystem(opts: {
  repoRoot: string;
  databaseUrl: string;
  dataDir: string;
  project: string;
}): Promise<RunningSystem> {
  const port = await freePort();
  const adminToken = randomBytes(16).toString('hex');
  const child = spawnNodeScript(
    'server',
    scriptPath(opts.repoRoot, 'start'),
    [],
    {
      DATABASE_URL: opts.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_TOKEN: adminToken,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      START_ORCHESTRATOR: 'true',
      DATA_DIR: opts.dataDir,
    },
    opts.repoRoot,
    ORDER_WRITTEN_LINE,
  );
  const url = `http://127.0.0.1:${port}`;
  const api = new SystemApi(url, opts.project, adminToken);
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `the server exited with ${String(exitCode)} before /healthz answered:\n${tail(child.output())}`,
      );
    }
    if (await api.healthy()) break;
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(
        `GET /healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s:\n${tail(child.output())}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { api, url, child, stop: () => child.stop() };
}

/**
 * Warnings and errors the server and orchestrator logged (pino JSON lines at LOG_LEVEL=warn),
 * grouped by message, for the report.
 */
export function loggedProblems(lines: string[]): Map<string, number> {
  const problems = new Map<string, number>();
  for (const line of lines) {
    // Stack frames and the braces of multi-line dumps belong to the line that announced them.
    if (/^\s+at\s/.test(line) || line.trim().length < 3) continue;
    let message = line.slice(0, 200);
    try {
      const entry = JSON.parse(line) as {
        level?: number;
        msg?: string;
        err?: { message?: string };
      };
      if (typeof entry.level === 'number' && entry.level < 40) continue;
      message = [entry.msg, entry.err?.message].filter(Boolean).join(': ').slice(0, 200);
    } catch {
      // Not JSON: keep the raw line.
    }
    problems.set(message, (problems.get(message) ?? 0) + 1);
  }
  return problems;
}
