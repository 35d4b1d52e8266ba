import { createRequire } from 'node:module';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import { getProjectByName, type Tx } from '@al/db';
import { createLocalFolderDatasource } from '../datasources/local';
import { importFromDatasource, type ImportSummary } from '../importer/importFolder';
import { mapWithConcurrency } from '../importer/mapWithConcurrency';
import type { Logger } from '../logger';
import { DIGIT_LABELS, DIGITS_PROJECT_NAME, digitsDemoFolder } from './digitsDemo';

const SIDE = 28;

/** The part of the `mnist` package (no types shipped) we use: per digit, 784 floats 0..1 each. */
interface MnistDigit {
  length: number;
  get: (which: number) => number[];
}

function loadMnist(): MnistDigit[] {
  // Loaded only when seeding: it parses 21 MB of JSON (~0.8 s).
  return createRequire(import.meta.url)('mnist') as MnistDigit[];
}

/**
 * Which digits to write: round-robin over the classes, so any count is close to balanced, taking
 * each class's images in the package's order (the same files on every machine). The package has
 * 863..1127 images per class, 10,000 in all.
 */
function pickDigits(mnist: MnistDigit[], count: number): { label: number; which: number }[] {
  const picks: { label: number; which: number }[] = [];
  for (let which = 0; picks.length < count; which++) {
    const before = picks.length;
    for (let label = 0; label < DIGIT_LABELS.length && picks.length < count; label++) {
      if (which < (mnist[label]?.length ?? 0)) picks.push({ label, which });
    }
    if (picks.length === before) break; // every class exhausted
  }
  return picks;
}

function digitPng(pixels: number[]): Promise<Buffer> {
  const gray = Buffer.from(pixels.map((v) => Math.round(v * 255)));
  // Without b-w sharp writes a 3-channel PNG from 1-channel input.
  return sharp(gray, { raw: { width: SIDE, height: SIDE, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

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
  const mnist = loadMnist();
  const picks = pickDigits(mnist, count);
  await mapWithConcurrency(picks, 2, async ({ label, which }) => {
    opts.signal?.throwIfAborted();
    const digit = mnist[label];
    if (!digit) throw new Error(`mnist has no digit ${label}`);
    const name = `${label}/${String(which).padStart(4, '0')}.png`;
    await datasource.write(name, await digitPng(digit.get(which)));
  });
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
