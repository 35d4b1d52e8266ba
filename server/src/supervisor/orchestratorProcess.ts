import { spawn, type ChildProcess } from 'node:child_process';
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

  const launch = () => {
    const startedAt = Date.now();
    // Started under `nice`: training and embedding share the cores with the server, and the
    // labellers' hand-outs must not wait behind them (Linux niceness is per thread, so the
    // whole process must start niced for tfjs' and V8's worker threads to inherit it).
    const proc = spawn(
      'nice',
      [
        '-n',
        String(ORCHESTRATOR_NICENESS),
        process.execPath,
        '--import',
        'tsx',
        orchestratorEntry(),
      ],
      {
        env: { ...process.env, DATABASE_URL: opts.databaseUrl, LOG_LEVEL: opts.logLevel },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
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
