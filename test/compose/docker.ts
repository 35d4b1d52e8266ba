/**
 * The docker and docker-compose CLIs as async calls for the compose stack test: each call's
 * output is kept for the error it throws, and streamed to a log file so a slow build can be
 * followed while it runs.
 */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the command's stdin, then closed. */
  input?: string | Buffer;
  /** Where every line of output also goes. */
  logFile?: string;
  /** Resolve with the exit code instead of throwing on a non-zero one. */
  allowFailure?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const TAIL = 4_000;

export function run(command: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  if (o.logFile) appendFileSync(o.logFile, `\n$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd: o.cwd,
    env: o.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const keep = (chunk: Buffer, to: 'out' | 'err') => {
    const text = chunk.toString();
    if (to === 'out') stdout += text;
    else stderr += text;
    if (o.logFile) appendFileSync(o.logFile, text);
  };
  child.stdout.on('data', (c: Buffer) => {
    keep(c, 'out');
  });
  child.stderr.on('data', (c: Buffer) => {
    keep(c, 'err');
  });
  // A child that exits before its stdin is closed (docker inspect never reads it) is judged by
  // its exit code: the EPIPE that end() can then meet is not a failure.
  child.stdin.on('error', () => undefined);
  child.stdin.end(o.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const result = { code: code ?? 1, stdout, stderr };
      if (result.code === 0 || o.allowFailure) resolve(result);
      else {
        const tail = (stdout + stderr).slice(-TAIL);
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`));
      }
    });
  });
}

/** True when the image (name:tag) is in the local engine. */
export async function imageExists(image: string): Promise<boolean> {
  const { code } = await run('docker', ['image', 'inspect', image], { allowFailure: true });
  return code === 0;
}
