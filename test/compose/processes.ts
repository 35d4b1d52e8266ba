/** Runs a container's command as a plain process here, and waits on what it prints. */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './composeFile';

export interface Running {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

export function startProcess(command: string[], env: Record<string, string>): Running {
  const [bin, ...args] = command;
  if (bin === undefined) throw new Error('empty command');
  // PATH and HOME only from this machine: everything else is what the container gets.
  const child = spawn(bin, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function waitForOutput(
  running: Running,
  pattern: RegExp,
  timeoutMs = 120_000,
): Promise<void> {
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    if (pattern.test(running.output())) return;
    if (running.child.exitCode !== null) {
      throw new Error(`exited with ${running.child.exitCode}:\n${running.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${pattern.source} within ${timeoutMs} ms:\n${running.output()}`);
}

/** Runs a healthcheck command (`CMD` form) and resolves with its exit code. */
export function runOnce(command: string[], env: Record<string, string>): Promise<number | null> {
  const running = startProcess(command, env);
  return new Promise((resolve) => running.child.once('exit', resolve));
}
