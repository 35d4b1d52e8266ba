import { rm } from 'node:fs/promises';
import { getProjectByName, type Tx } from '@al/db';
import {
  createLocalFolderDatasource,
  DIGIT_LABELS,
  DIGITS_PROJECT_NAME,
  digitsDemoFolder,
  writeDigitImages,
  type Logger,
} from '@al/media';
import { importFromDatasource, type ImportSummary } from '../importer/importFolder';

export interface SeedDigitsOptions {
  knex: Tx;
  /** config DATA_DIR; images go to <dataDir>/demo/digits. */
  dataDir: string;
  /** config DEMO_SAMPLES. */
  count?: number;
  logger: Logger;
  signal?: AbortSignal;
}

export type SeedDigitsResult = { seeded: false } | { seeded: true; summary: ImportSummary };

/**
 * Creates the `digits` demo project from MNIST on first start. Once the project exists this
 * does nothing, so it is safe on every start (a project deleted by an admin comes back).
 */
export async function seedDigitsDemo(opts: SeedDigitsOptions): Promise<SeedDigitsResult> {
  const log = opts.logger.child({ component: 'demo-seed' });
  if (await getProjectByName({ tx: opts.knex, name: DIGITS_PROJECT_NAME })) {
    return { seeded: false };
  }
  const count = opts.count ?? 2_000;
  const folder = digitsDemoFolder(opts.dataDir);
  log.info({ count, folder }, 'seeding the MNIST digits demo');
  // The folder is ours alone; starting empty keeps leftovers of an interrupted seed out.
  await rm(folder, { recursive: true, force: true });
  const datasource = createLocalFolderDatasource(folder);
  await writeDigitImages(datasource, count, opts.signal);
  const summary = await importFromDatasource({
    knex: opts.knex,
    datasource,
    project: { name: DIGITS_PROJECT_NAME, options: [...DIGIT_LABELS] },
    logger: opts.logger,
    signal: opts.signal,
  });
  log.info({ imported: summary.imported }, 'digits demo ready');
  return { seeded: true, summary };
}
