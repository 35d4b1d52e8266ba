/**
 * A throw-away cluster of Debian's PostgreSQL 15 (apt package postgresql-15, installed by
 * .ci/run), because Debian's pg_dump is 15 and pg_dump refuses servers newer than itself: the
 * embedded Postgres of the other tests is 17. Runs as the `postgres` user (Postgres refuses
 * root), on its own port, data folder and socket folder; trust auth on loopback only.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@al/db/testing';

const run = promisify(execFile);

export const PG15_BIN = '/usr/lib/postgresql/15/bin';
export const PG_DUMP = '/usr/bin/pg_dump';
export const PG_RESTORE = '/usr/bin/pg_restore';

export function debianPostgresMissing(): string | false {
  for (const file of [path.join(PG15_BIN, 'initdb'), PG_DUMP, PG_RESTORE]) {
    if (!existsSync(file)) return `${file} is missing (apt-get install postgresql-15)`;
  }
  return false;
}

export interface DebianCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  adminUrl: string;
  urlFor: (database: string) => string;
  stop: () => Promise<void>;
}

async function asPostgres(bin: string, args: string[]): Promise<void> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  await run(path.join(PG15_BIN, bin), args, { uid, gid, timeout: 30_000 });
}

export async function startDebianCluster(): Promise<DebianCluster> {
  const root = await mkdtemp(path.join(tmpdir(), 'labeller-pg15-'));
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: group } = await run('id', ['-g', 'postgres']);
  await chown(root, Number(stdout.trim()), Number(group.trim()));
  const data = path.join(root, 'data');
  const port = await freePort();
  await asPostgres('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  await asPostgres('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(root, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: async () => {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      await rm(root, { recursive: true, force: true });
    },
  };
}
