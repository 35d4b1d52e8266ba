/**
 * Child processes of the system under test, each in its own process group (detached) so that
 * stopping one also stops what it started (the server's orchestrator). Every live group is
 * killed on exit, also after an error or Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const OUTPUT_LINES_KEPT = 400;
/** Process groups not yet stopped; a group can outlive its leader (the orchestrator child). */
const liveGroups = new Set<number>();

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Last resort (process 'exit' handler, which must be synchronous): SIGKILL every group. */
export function killAllChildren(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

export interface ChildHandle {
  name: string;
  /** Exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The last few hundred lines of stdout and stderr. */
  output: () => string[];
  /** Every line that matched `retain`, however many. */
  retained: () => string[];
  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
}

export function spawnNodeScript(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  retain?: RegExp,
): ChildHandle {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  const lines: string[] = [];
  const retained: string[] = [];
  // A line may arrive split over two chunks: the unfinished tail waits for the next one.
  const keeper = () => {
    let carry = '';
    return (chunk: Buffer) => {
      const parts = (carry + chunk.toString('utf8')).split('\n');
      carry = parts.pop() ?? '';
      for (const line of parts) {
        if (line.trim() === '') continue;
        lines.push(line);
        if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
        if (retain?.test(line)) retained.push(line);
      }
    };
  };
  child.stdout.on('data', keeper());
  child.stderr.on('data', keeper());
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.once('error', (err) => {
      lines.push(`spawn error: ${err.message}`);
      resolve(null);
    });
  });
  return {
    name,
    exited,
    output: () => [...lines],
    retained: () => [...retained],
    stop: async (graceMs = 15_000) => {
      if (child.exitCode === null && child.signalCode === null) killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        killGroup(child.pid, 'SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
      // The server's children (orchestrator) share the group: make sure none outlives it.
      killGroup(child.pid, 'SIGKILL');
      if (child.pid !== undefined) liveGroups.delete(child.pid);
    },
  };
}

/**
 * The script behind a root package.json script such as `"start": "tsx server/src/cli/start.ts"`,
 * read at run time because files may move.
 */
export function scriptPath(repoRoot: string, scriptName: string): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const command = pkg.scripts?.[scriptName];
  const file = command?.split(/\s+/).find((token) => /\.[cm]?ts$/.test(token));
  if (!file) {
    throw new Error(
      `root package.json has no "${scriptName}" script running a .ts file (got ${String(command)})`,
    );
  }
  return path.join(repoRoot, file);
}
