/**
 * The first retrain of a freshly imported project, timed: what a project costs before its
 * images are in the cache (derive the input spec, decode every image into feature_cache, fit
 * the pool embedding, write the label-free order). Images are written to a temporary folder
 * and registered as the importer does (timed apart: that is import work), against a
 * throw-away embedded Postgres.
 *   - grey digits (the `mnist` package's PNGs, any --side is 28): --images 10000 --grey
 *   - colour JPEGs, bench:al's procedural shapes scaled up to --side with per-pixel noise
 *     (so the files are photo-sized, not flat): --images 1000 --side 512
 * Usage: npm run bench:first-embedding -- [--images 1000] [--side 512] [--grey]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createProject } from '@al/db';
import { createTestDatabase } from '@al/db/testing';
import { createLocalFolderDatasource, createLogger, writeDigitImages } from '@al/media';
import sharp from 'sharp';
import { z } from 'zod';
import { createRng, deriveSeed } from '../../test/bench/al/rng';
import { drawShape, SHAPE_CLASSES, SHAPE_SIDE } from '../../test/bench/al/datasets/shapesDraw';
import { chooseBackend } from '../src/backend/chooseBackend';
import { registerFolderImages } from '../src/testing/digitsFixture';
import { retrainProject } from '../src/training/retrainProject';

const { values } = parseArgs({
  options: {
    images: { type: 'string' },
    side: { type: 'string' },
    grey: { type: 'boolean' },
  },
});
const args = z
  .object({
    images: z.coerce.number().int().min(1).default(1000),
    side: z.coerce.number().int().min(16).max(4096).default(512),
    grey: z.boolean().default(false),
  })
  .parse(values);

const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
const NOISE = 24;
const WRITERS = 4;

/** One shapes image scaled up to side×side, with uniform noise of ±NOISE/2 per channel. */
async function colourJpeg(i: number, side: number): Promise<Buffer> {
  const rng = createRng(deriveSeed(7, i));
  const small = drawShape(i % SHAPE_CLASSES.length, rng);
  const big = await sharp(small, { raw: { width: SHAPE_SIDE, height: SHAPE_SIDE, channels: 3 } })
    .resize(side, side, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  for (let k = 0; k < big.length; k++) {
    big[k] = Math.max(0, Math.min(255, (big[k] ?? 0) + Math.round((rng() - 0.5) * NOISE)));
  }
  return sharp(big, { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function writeColourImages(folder: string, count: number, side: number): Promise<number> {
  let bytes = 0;
  let next = 0;
  const writer = async () => {
    for (let i = next++; i < count; i = next++) {
      const jpeg = await colourJpeg(i, side);
      bytes += jpeg.length;
      await writeFile(path.join(folder, `img-${String(i).padStart(6, '0')}.jpg`), jpeg);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return bytes;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const db = await createTestDatabase({ poolMax: 6 });
  const folder = await mkdtemp(path.join(tmpdir(), 'first-embedding-'));
  try {
    let t = performance.now();
    const kind = args.grey ? `${args.images} MNIST PNGs (28×28 grey)` : `${args.images} JPEGs`;
    if (args.grey) {
      await writeDigitImages(createLocalFolderDatasource(folder), args.images);
      console.log(`wrote ${kind} in ${seconds(performance.now() - t)}`);
    } else {
      const bytes = await writeColourImages(folder, args.images, args.side);
      console.log(
        `wrote ${kind} (${args.side}×${args.side} RGB, ${(bytes / args.images / 1024).toFixed(0)} kB each) in ${seconds(performance.now() - t)}`,
      );
    }
    const project = await createProject({
      tx: db.knex,
      project: { name: 'first-embedding', options: [...SHAPE_CLASSES] },
    });
    t = performance.now();
    const registered = await registerFolderImages(db.knex, project, folder);
    console.log(`registered ${registered} samples in ${seconds(performance.now() - t)}`);

    const backend = await chooseBackend({ logger });
    const load = loadavg()[0] ?? 0;
    t = performance.now();
    const outcome = await retrainProject(project.id, {
      knex: db.knex,
      backend,
      logger,
      seed: 1,
    });
    const total = performance.now() - t;
    const spec = await db
      .knex('projects')
      .where({ id: project.id })
      .first<{ input_spec: unknown } | undefined>('input_spec');
    console.log(
      `first retrain (backend ${backend.name}, load ${load.toFixed(1)} before): ${seconds(total)} in all, ` +
        `${outcome.written} priorities written, input spec ${JSON.stringify(spec?.input_spec)}`,
    );
    const phases = Object.entries(outcome.durationsMs)
      .map(([phase, ms]) => `${phase} ${seconds(ms)}`)
      .join(', ');
    console.log(`phases: ${phases}`);
    console.log(
      `per image: ${((1000 * total) / args.images / 1000).toFixed(2)} ms … ` +
        `${((args.images / total) * 1000).toFixed(0)} images/s`,
    );
  } finally {
    await db.destroy();
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
