/**
 * The labelling server as a real child process (`server/src/cli/start.ts`, orchestrator off),
 * so a test can SIGKILL or SIGTERM it. Node runs the file with tsx's loader directly rather
 * than through the `tsx` CLI, which would put a second process between the signal and the
 * server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => Promise<number | null>;
}

export async function startServerProcess(opts: {
  databaseUrl: string;
  port: number;
  leaseTtlSeconds?: number;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: opts.databaseUrl,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      START_ORCHESTRATOR: 'false',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      ADMIN_TOKEN: 'fault-test-admin-token-0123456789',
      LEASE_TTL_SECONDS: String(opts.leaseTtlSeconds ?? 120),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const server: ServerProcess = {
    url: `http://127.0.0.1:${opts.port}`,
    port: opts.port,
    child,
    output: () => out,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  for (const started = Date.now(); !out.includes('"msg":"labeller ready"');) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return server;
}

/** Log lines of a pino JSON log at `level` or above (40 warn, 50 error, 60 fatal). */
export function logLinesAtLeast(output: string, level: number): string[] {
  return output.split('\n').filter((line) => {
    const match = /"level":(\d+)/.exec(line);
    return match !== null && Number(match[1]) >= level;
  });
}
