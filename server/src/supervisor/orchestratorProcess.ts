import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@al/media';

/**
 * The orchestrator's executable entry, by package name: a separate process that meets the server
 * only in Postgres. Resolved when launched, so a server-only install (Dockerfile.ui) never needs it.
 */
function orchestratorEntry(): string {
  return fileURLToPath(import.meta.resolve('@al/orchestrator/run'));
}
const STOP_GRACE_MS = 20_000;
const ORCHESTRATOR_NICENESS = 19;

/** Whether an executable of this name is on PATH. */
function onPath(name: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && existsSync(path.join(dir, name)));
}

/**
 * The orchestrator's command line at the lowest CPU priority the machine offers. Training and
 * embedding share the cores with the server, and the labellers' hand-outs must not wait behind
 * them. Linux scheduling is per thread, so the whole process starts low for tfjs' and V8's
 * worker threads to inherit it: under `nice -n 19`, and where util-linux's `chrt` is there
 * (any Linux), also as SCHED_IDLE, which a waking server or Postgres thread preempts at once
 * where a niced thread may first finish its slice (bench:trainer-load).
 */
export function lowPriorityCommand(argv: string[], hasChrt: boolean): string[] {
  const nice = ['nice', '-n', String(ORCHESTRATOR_NICENESS)];
  return hasChrt ? [...nice, 'chrt', '--idle', '0', ...argv] : [...nice, ...argv];
}
const MAX_BACKOFF_MS = 60_000;

export interface OrchestratorProcess {
  stop: () => Promise<void>;
  /** SIGTERM without waiting, for a server that exits at once (stopped during start-up). */
  stopNow: () => void;
}

/**
 * Runs the orchestrator as a child process (training would block the server's event loop) and
 * restarts it with exponential backoff if it dies. Its JSON log lines pass through to ours.
 */
export function superviseOrchestrator(opts: {
  databaseUrl: string;
  logLevel: string;
  logger: Logger;
}): OrchestratorProcess {
  const log = opts.logger.child({ component: 'orchestrator-supervisor' });
  let child: ChildProcess | undefined;
  let stopping = false;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const hasChrt = onPath('chrt');

  const launch = () => {
    const startedAt = Date.now();
    const [command = process.execPath, ...args] = lowPriorityCommand(
      [process.execPath, '--import', 'tsx', orchestratorEntry()],
      hasChrt,
    );
    const proc = spawn(command, args, {
      env: { ...process.env, DATABASE_URL: opts.databaseUrl, LOG_LEVEL: opts.logLevel },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child = proc;
    proc.once('exit', (code, signal) => {
      child = undefined;
      if (stopping) return;
      // A run that lasted a minute was healthy: start the backoff again from the bottom.
      failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures);
      log.error({ code, signal, restartInMs: delay }, 'orchestrator exited; restarting');
      restartTimer = setTimeout(launch, delay);
    });
  };
  launch();

  return {
    stopNow: () => {
      stopping = true;
      clearTimeout(restartTimer);
      child?.kill('SIGTERM');
    },
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      const proc = child;
      if (!proc) return;
      const exited = new Promise<void>((resolve) =>
        proc.once('exit', () => {
          resolve();
        }),
      );
      proc.kill('SIGTERM');
      const timer = setTimeout(() => {
        log.warn('orchestrator did not stop in time; killing it');
        proc.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
