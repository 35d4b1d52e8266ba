/**
 * The two projects of the bench. "busy": synthetic samples (no image files) for the flat-out
 * labellers, never retrained. "digits": real MNIST images imported with the public CLI, for
 * the trainer.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { parseAcquisitionSettings } from '@al/contract';
import {
  claimRetrainJob,
  createProject,
  enqueueRetrainIfIdle,
  finishRetrainJob,
  getProjectByName,
  updateProjectAcquisition,
} from '@al/db';
import { insertSyntheticSamples } from '@al/db/bench';
import {
  createLocalFolderDatasource,
  DIGIT_LABELS,
  DIGITS_PROJECT_NAME,
  writeDigitImages,
} from '@al/media';
import { spawnNode } from './processes';

export const BUSY_PROJECT = 'busy';
export const DIGITS_PROJECT = DIGITS_PROJECT_NAME;
const SEED_CHUNK = 250_000;
const IMPORT_TIMEOUT_MS = 15 * 60_000;

/**
 * No automatic retrain: the busy project must never be trained (it has no images), and the
 * digits project is retrained only when the bench asks (phase 2), so phase 1 is quiet.
 */
const NO_AUTOMATIC_RETRAIN = {
  retrain_every_labels: 1_000_000_000,
  retrain_every_seconds: 1_000_000_000,
};

/** The project's settings with the above, checked as the orchestrator will read them. */
function quiet(acquisition: Record<string, unknown>): Record<string, unknown> {
  const settings = { ...acquisition, ...NO_AUTOMATIC_RETRAIN };
  parseAcquisitionSettings(settings);
  return settings;
}

/**
 * The busy project with `count` synthetic samples. Unless `coldStart`, it is also recorded as
 * already ordered (one finished retrain job, as the orchestrator itself leaves one): the
 * orchestrator orders every never-ordered project once whatever its retrain settings, and for
 * this project that would mean trying to read every one of its missing image files.
 */
export async function seedBusyProject(
  knex: Knex,
  count: number,
  coldStart: boolean,
): Promise<number> {
  const project = await createProject({
    tx: knex,
    project: {
      name: BUSY_PROJECT,
      options: ['cat', 'dog', 'bird'],
      labelsPerSample: 1,
      acquisition: quiet({}),
    },
  });
  for (let from = 0; from < count; from += SEED_CHUNK) {
    await insertSyntheticSamples({
      tx: knex,
      projectId: project.id,
      from,
      count: Math.min(SEED_CHUNK, count - from),
    });
  }
  if (!coldStart) {
    await knex.transaction((tx) =>
      enqueueRetrainIfIdle({ tx, projectId: project.id, reason: 'timer' }),
    );
    const job = await claimRetrainJob({ tx: knex, instanceId: 'bench-fixture' });
    if (job?.project_id !== project.id) {
      throw new Error('could not record the busy project as ordered (another job was queued)');
    }
    await finishRetrainJob({
      tx: knex,
      jobId: job.id,
      instanceId: 'bench-fixture',
      outcome: { status: 'done', modelId: null },
    });
  }
  await knex.raw('VACUUM ANALYZE samples');
  return project.id;
}

/** Writes `count` MNIST digits as <tmp>/digits/<label>/<n>.png; returns the digits folder. */
export async function writeDigitsFolder(count: number): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'trainer-load-'));
  const folder = path.join(root, DIGITS_PROJECT);
  await writeDigitImages(createLocalFolderDatasource(folder), count);
  return folder;
}

/**
 * `npm run import -- --project digits --labels 0,…,9 <folder>` into the bench's database;
 * returns its summary line.
 */
export async function importDigits(opts: {
  repoRoot: string;
  databaseUrl: string;
  folder: string;
}): Promise<string> {
  const child = spawnNode({
    name: 'import',
    session: 'own',
    script: 'server/src/cli/import.ts',
    args: ['--project', DIGITS_PROJECT, '--labels', DIGIT_LABELS.join(','), opts.folder],
    env: { DATABASE_URL: opts.databaseUrl, LOG_LEVEL: 'warn' },
    cwd: opts.repoRoot,
  });
  const timer = setTimeout(() => void child.stop(1_000), IMPORT_TIMEOUT_MS);
  try {
    const code = await child.exited;
    if (code !== 0) throw new Error(`the import CLI exited with ${String(code)}:\n${child.tail()}`);
    const summary = child.lines().filter((l) => /^(new|already imported|failed):/.test(l));
    return summary.join(', ');
  } finally {
    clearTimeout(timer);
    await child.stop();
  }
}

/** The digits project retrains only when asked (see NO_AUTOMATIC_RETRAIN). */
export async function quietDigitsProject(knex: Knex): Promise<number> {
  const project = await getProjectByName({ tx: knex, name: DIGITS_PROJECT });
  if (!project) throw new Error('the import created no digits project');
  await updateProjectAcquisition({
    tx: knex,
    projectId: project.id,
    acquisition: quiet(project.acquisition),
  });
  return project.id;
}
