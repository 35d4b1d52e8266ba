/**
 * Child processes of the bench (server, orchestrator, load clients, import). Output is kept as
 * a tail, and pino warnings/errors are counted by message. Whatever is still alive when the
 * bench exits is killed, also on errors and Ctrl-C.
 *
 * Sessions matter for `nice`: with Linux autogroup scheduling (kernel.sched_autogroup_enabled,
 * on here), a process's nice value only counts against processes of its own session; each
 * session's group gets a fair share of the CPU first. So the system under test (server, its
 * orchestrator, the bench's own orchestrator and the bench with its Postgres) runs in the
 * bench's session, as `npm start` in one terminal would; the load clients, standing in for
 * browsers on other machines, and the import get sessions of their own.
 */
import { spawn } from 'node:child_process';
import { childPids, commandLine } from './procStats';

/** 'own': a new session and process group (setsid); 'bench': the bench's session. */
export type Session = 'own' | 'bench';

const TAIL_LINES = 300;
const live = new Map<number, Session>();

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

interface Started {
  pid: number;
  command: string;
}

/** A child's own children, with their command lines to recognise them later. */
function startedBy(pid: number): Started[] {
  return childPids(pid).map((c) => ({ pid: c, command: commandLine(c) }));
}

/**
 * SIGKILL to what a child started that is still the same process (a pid can be reused), and
 * to the child itself (its whole group when it has one) unless it has exited.
 */
function killHard(pid: number, session: Session, started: Started[], exited: boolean): void {
  for (const s of started) if (commandLine(s.pid) === s.command) signal(s.pid, 'SIGKILL');
  if (!exited) signal(session === 'own' ? -pid : pid, 'SIGKILL');
}

/** Last resort, synchronous (process 'exit'): SIGKILL every child still alive. */
export function killAllChildren(): void {
  for (const [pid, session] of live) killHard(pid, session, startedBy(pid), false);
  live.clear();
}

export interface Child {
  name: string;
  pid: number | undefined;
  /** Exit code, null when killed by a signal. */
  exited: Promise<number | null>;
  hasExited: () => boolean;
  tail: (n?: number) => string;
  /** The kept output lines, unformatted. */
  lines: () => string[];
  /** Warnings and errors logged (pino level ≥ 40, or non-JSON stderr lines), by message. */
  problems: Map<string, number>;
  /** Called with every output line (stdout and stderr). */
  onLine: (listener: (line: string) => void) => void;
  stop: (graceMs?: number) => Promise<void>;
}

/** Counts a pino warning/error by its message (details such as file names left out). */
function countProblem(problems: Map<string, number>, line: string, stderr: boolean): void {
  let message: string | undefined;
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
    if (typeof entry.level === 'number' && entry.level >= 40) message = String(entry.msg);
  } catch {
    if (stderr) message = line;
  }
  if (message !== undefined) {
    const key = message.slice(0, 160);
    problems.set(key, (problems.get(key) ?? 0) + 1);
  }
}

/** How a child is scheduled: as usual, under `nice -n 19`, or as SCHED_IDLE (`chrt --idle 0`). */
export type Priority = 'normal' | 'nice' | 'sched-idle';

const PRIORITY_PREFIX: Record<Priority, string[]> = {
  normal: [],
  nice: ['nice', '-n', '19'],
  'sched-idle': ['chrt', '--idle', '0'],
};

/** Runs `node --import tsx <script>`, with its priority (the wrappers exec node: same pid). */
export function spawnNode(opts: {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  cwd: string;
  priority?: Priority;
  session: Session;
}): Child {
  const argv = [
    ...PRIORITY_PREFIX[opts.priority ?? 'normal'],
    process.execPath,
    ...['--import', 'tsx', opts.script, ...(opts.args ?? [])],
  ];
  const [command = process.execPath, ...args] = argv;
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    detached: opts.session === 'own',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid !== undefined) live.set(pid, opts.session);
  const lines: string[] = [];
  const problems = new Map<string, number>();
  const listeners: ((line: string) => void)[] = [];
  const reader = (stderr: boolean) => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        if (line.trim() === '') continue;
        lines.push(line);
        if (lines.length > TAIL_LINES) lines.shift();
        countProblem(problems, line, stderr);
        for (const l of listeners) l(line);
      }
    };
  };
  child.stdout.on('data', reader(false));
  child.stderr.on('data', reader(true));
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    });
    child.once('error', (err) => {
      done = true;
      lines.push(`spawn error: ${err.message}`);
      resolve(null);
    });
  });
  return {
    name: opts.name,
    pid,
    exited,
    hasExited: () => done,
    tail: (n = 25) =>
      lines
        .slice(-n)
        .map((l) => `    | ${l.slice(0, 400)}`)
        .join('\n'),
    lines: () => [...lines],
    problems,
    onLine: (listener) => listeners.push(listener),
    stop: async (graceMs = 20_000) => {
      if (pid === undefined) return;
      // The server stops its orchestrator itself on SIGTERM; these are killed if it did not.
      const started = startedBy(pid);
      if (!done) signal(opts.session === 'own' ? -pid : pid, 'SIGTERM');
      const timer = setTimeout(() => {
        killHard(pid, opts.session, started, done);
      }, graceMs);
      await exited;
      clearTimeout(timer);
      killHard(pid, opts.session, started, true);
      live.delete(pid);
    },
  };
}
