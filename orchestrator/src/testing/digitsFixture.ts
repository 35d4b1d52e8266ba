/**
 * Test fixture: a fresh database with the MNIST digits demo (real PNG files in a temp
 * folder, registered as samples the way the importer does), the wasm backend, and simulated
 * labellers who answer from the true digit, through the real queue API.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  addProjectSourceRoot,
  createProject,
  insertSamples,
  labelSample,
  nextSample,
  type DbProjectRow,
  type NewSample,
  type Tx,
} from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import {
  createLocalFolderDatasource,
  createLogger,
  DIGIT_LABELS,
  DIGITS_PROJECT_NAME,
  inspectImage,
  trueDigitLabelOf,
  writeDigitImages,
} from '@al/media';
import sharp from 'sharp';
import { chooseBackend, type ChosenBackend } from '../backend/chooseBackend';
import type { InputSpec } from '../features/inputSpec';
import { evaluatePredictions } from '../model/metrics';
import type { SamplePredictor } from '../model/predictInBatches';
import { loadLabelledData } from '../training/labelledData';

export const silentLogger = createLogger('silent');

export interface DigitsFixture {
  db: TestDatabase;
  project: DbProjectRow;
  backend: ChosenBackend;
  destroy: () => Promise<void>;
}

/** Stroke colours of the colour variant: the digit stays the class, the colour is noise. */
const TINTS = [
  { r: 255, g: 60, b: 60 },
  { r: 60, g: 200, b: 60 },
  { r: 70, g: 90, b: 255 },
  { r: 240, g: 200, b: 40 },
];

/** Rewrites every digit PNG under `folder` as an RGB image with its strokes in one of TINTS. */
async function colourDigits(folder: string): Promise<void> {
  const datasource = createLocalFolderDatasource(folder);
  const entries = [];
  for await (const page of datasource.list()) entries.push(...page);
  for (const [i, entry] of entries.entries()) {
    const tint = TINTS[i % TINTS.length] ?? { r: 255, g: 255, b: 255 };
    const grey = await sharp(await datasource.read(entry.uri))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = grey.info;
    const rgb = Buffer.alloc(width * height * 3);
    grey.data.forEach((v, p) => {
      rgb[3 * p] = (v * tint.r) / 255;
      rgb[3 * p + 1] = (v * tint.g) / 255;
      rgb[3 * p + 2] = (v * tint.b) / 255;
    });
    const png = await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    await datasource.write(entry.relativePath, png);
  }
}

/** `colour`: digits drawn in a few colours on RGB images (the colour carries no class). */
export async function createDigitsFixture(
  count: number,
  { colour = false } = {},
): Promise<DigitsFixture> {
  const db = await createTestDatabase({ poolMax: 6 });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'orchestrator-digits-'));
  const folder = path.join(dataDir, DIGITS_PROJECT_NAME);
  await writeDigitImages(createLocalFolderDatasource(folder), count);
  if (colour) await colourDigits(folder);
  const created = await createProject({
    tx: db.knex,
    project: { name: DIGITS_PROJECT_NAME, options: [...DIGIT_LABELS] },
  });
  await registerFolderImages(db.knex, created, folder);
  const project = { ...created, source_roots: [folder] };
  const backend = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger: silentLogger });
  return {
    db,
    project,
    backend,
    destroy: async () => {
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `count` labels, each from a labeller who takes the next sample and answers truly. */
export async function labelFromQueue(
  f: DigitsFixture,
  count: number,
  labeller = 'sim',
): Promise<number> {
  let done = 0;
  for (; done < count; done++) {
    const sample = await nextSample(f.db.knex, {
      projectId: f.project.id,
      labeller,
      ttlSeconds: 60,
    });
    if (!sample) break;
    const value = trueDigitLabelOf(sample.source_uri);
    if (value === undefined) throw new Error(`no true label for ${sample.source_uri}`);
    await labelSample(f.db.knex, { projectId: f.project.id, sampleId: sample.id, labeller, value });
  }
  return done;
}

/**
 * The accuracy `predictor` scores on the project's held-out labels today, computed as a
 * retrain does: what a stored version's reported accuracy must recompute to.
 */
export async function heldOutAccuracy(
  f: DigitsFixture,
  predictor: SamplePredictor,
  spec: InputSpec,
): Promise<number | null> {
  const { evaluation } = await loadLabelledData({
    knex: f.db.knex,
    projectId: f.project.id,
    options: f.project.options,
    multiLabel: false,
    spec,
  });
  const { probs } = await predictor.predictSamples(evaluation.sampleIds, evaluation.pixels);
  return evaluatePredictions({
    probs,
    targets: evaluation.targets,
    labels: f.project.options,
    multiLabel: false,
  }).accuracy;
}

/** id → priority of the project's samples, for before/after comparisons. */
export async function priorityMap(f: DigitsFixture): Promise<Map<number, number>> {
  const rows = await f.db
    .knex('samples')
    .select<{ id: number; priority: number }[]>('id', 'priority')
    .where({ project_id: f.project.id });
  return new Map(rows.map((r) => [r.id, r.priority]));
}

/**
 * Adds every image under `folder` to the project as the importer would (content hash, size,
 * the hash-chosen held-out share), without the importer: that is the server's, not ours.
 */
export async function registerFolderImages(
  knex: Tx,
  project: DbProjectRow,
  folder: string,
): Promise<number> {
  const datasource = createLocalFolderDatasource(folder);
  await addProjectSourceRoot({ tx: knex, projectId: project.id, root: datasource.root });
  const samples: NewSample[] = [];
  for await (const page of datasource.list()) {
    for (const entry of page) {
      const bytes = await datasource.read(entry.uri);
      const { width, height } = await inspectImage(bytes);
      const contentHash = createHash('sha256').update(bytes).digest('hex');
      const split = Number.parseInt(contentHash.slice(0, 2), 16) < 26 ? 'eval' : 'train';
      samples.push({
        sourceUri: entry.uri,
        contentHash,
        width,
        height,
        byteSize: bytes.length,
        split,
      });
    }
  }
  return insertSamples({ tx: knex, projectId: project.id, samples });
}
