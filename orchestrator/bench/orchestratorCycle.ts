/**
 * One full orchestrator cycle against a real Postgres, timed per phase, plus the throughput
 * figures of issue 4:
 *  1. cycle: 2,000 training labels (+200 held out), a 10,000-sample open pool (MNIST pixels
 *     already in feature_cache: decoding is import-time work, measured by the importer);
 *     retrainProject = read labels → train → evaluate → score pool → select → write;
 *  2. scoring throughput of the model alone (images/s, in memory);
 *  3. writing 100,000 priorities in one transaction (writeQueueOrder);
 *  4. peak RSS of scoring + selection over synthetic pools (--pools 10000,100000[,1000000]).
 * Uses DATABASE_URL if set, else a throw-away embedded cluster.
 * Usage: npm run bench:orchestrator -- [--pools 10000,100000,1000000]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  createDb,
  createProject,
  getLatestModel,
  insertFeatures,
  insertSamples,
  migrateLatest,
  type NewSample,
} from '@al/db';
import type { Knex } from 'knex';
import pino from 'pino';
import { z } from 'zod';
import { startTestCluster } from '@al/db/testing';
import { planQueueOrder } from '../src/acquisition/planQueueOrder';
import { createRng } from '../src/acquisition/rng';
import { parseAcquisitionSettings } from '@al/contract';
import { chooseBackend, type ChosenBackend } from '../src/backend/chooseBackend';
import { DEFAULT_INPUT_SPEC, inputSpecKey } from '../src/features/inputSpec';
import { FloatPages } from '../src/training/growableFloats';
import { PoolEmbeddingCache } from '../src/training/poolEmbedding';
import { retrainProject } from '../src/training/retrainProject';
import { TrainerThread } from '../src/training/trainerThread';
import { PRIORITY_CHUNK, writeQueueOrder } from '../src/training/writeQueueOrder';
import { Predictor } from '../src/model/predictInBatches';
import { trainClassifier } from '../src/model/trainClassifier';
import { gatherPixels, loadMnistArrays, oneHot } from './mnistArrays';

const args = z
  .object({
    pools: z
      .string()
      .default('10000,100000')
      .transform((s) => s.split(',').map(Number))
      .pipe(z.array(z.int().positive())),
    train: z.coerce.number().int().positive().default(2_000),
    pool: z.coerce.number().int().positive().default(10_000),
  })
  .parse(
    parseArgs({
      options: { pools: { type: 'string' }, train: { type: 'string' }, pool: { type: 'string' } },
    }).values,
  );

const logger = pino({ level: 'warn' });
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const fakeHash = () => randomBytes(32).toString('hex');

async function openBenchDb(): Promise<{ knex: Knex; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const knex = createDb({ connectionString: url, poolMax: 4 });
    await migrateLatest(knex);
    return { knex, close: () => knex.destroy() };
  }
  const cluster = await startTestCluster();
  const knex = createDb({ connectionString: cluster.url, poolMax: 4 });
  await migrateLatest(knex);
  return {
    knex,
    close: async () => {
      await knex.destroy();
      await cluster.stop();
    },
  };
}

/** A project with `labelled` labelled samples (10% of them held out) and an open pool. */
async function seedCycleProject(knex: Knex, labelled: number, pool: number) {
  const digits = loadMnistArrays();
  const heldOut = Math.round(labelled / 10);
  const total = labelled + heldOut + pool;
  const project = await createProject({
    tx: knex,
    project: {
      name: `cycle-${Date.now()}`,
      options: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    },
  });
  // No image files behind the samples: the input size is set, not derived from them.
  await knex('projects')
    .where({ id: project.id })
    .update({ input_spec: JSON.stringify(DEFAULT_INPUT_SPEC) });
  const order = Array.from({ length: digits.n }, (_, i) => i);
  const rng = createRng(3);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  // Past 10,000 the pool reuses digits (as separate samples with their own hashes).
  const rows = Array.from({ length: total }, (_, i) => order[i % digits.n] ?? 0);
  const hashes = rows.map(() => fakeHash());
  const samples: NewSample[] = rows.map((row, i) => ({
    sourceUri: `/bench/${i}.png`,
    contentHash: hashes[i] ?? '',
    width: 28,
    height: 28,
    byteSize: 800,
    split: i >= labelled && i < labelled + heldOut ? 'eval' : 'train',
  }));
  for (let i = 0; i < total; i += 5_000) {
    await insertSamples({ tx: knex, projectId: project.id, samples: samples.slice(i, i + 5_000) });
    await insertFeatures({
      tx: knex,
      spec: inputSpecKey(DEFAULT_INPUT_SPEC),
      features: rows.slice(i, i + 5_000).map((row, k) => ({
        contentHash: hashes[i + k] ?? '',
        data: Buffer.from(digits.pixels.subarray(row * 784, (row + 1) * 784)),
      })),
    });
  }
  // Labels straight into the table (a fixture, not the code under test): the first
  // labelled + heldOut samples, answered with the true digit, marked done.
  const ids = await knex('samples')
    .where({ project_id: project.id })
    .orderBy('id')
    .limit(labelled + heldOut)
    .pluck<number[]>('id');
  const labelRows = ids.map((id, i) => ({
    project_id: project.id,
    sample_id: id,
    labeller: 'bench',
    kind: 'label',
    value: JSON.stringify(String(digits.labels[rows[i] ?? 0])),
  }));
  for (let i = 0; i < labelRows.length; i += 1_000)
    await knex('labels').insert(labelRows.slice(i, i + 1_000));
  await knex('samples').whereIn('id', ids).update({ status: 'done', label_count: 1 });
  return { projectId: project.id, digits };
}

async function cycle(knex: Knex, backend: ChosenBackend) {
  const { projectId, digits } = await seedCycleProject(knex, args.train, args.pool);
  // The job loop keeps one cache: the first cycle fits the pool embedding, the next reuse it.
  const embeddingCache = new PoolEmbeddingCache();
  // As the job loop does: the unshifted scorer trains in a second thread where that helps.
  const trainerThread = TrainerThread.helps(backend.name)
    ? new TrainerThread({ backend: backend.name, logger })
    : undefined;
  console.log(`   scorer trained ${trainerThread ? 'in a second thread' : 'after the model'}`);
  for (const which of ['first (embedding fitted)', 'next (embedding cached)']) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const outcome = await retrainProject(projectId, {
      knex,
      backend,
      logger,
      seed: 1,
      embeddingCache,
      trainerThread,
    });
    const totalMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const model = await getLatestModel({ tx: knex, projectId });
    const accuracy = model?.metrics.accuracy;
    console.log(
      `1. ${which} cycle on ${backend.name}: ${(totalMs / 1000).toFixed(2)} s wall, ${(cpuMs / 1000).toFixed(2)} s CPU of this process (goal ≤ 10 s cached); load average ${loadavg()[0]?.toFixed(1)}`,
    );
    console.log(`   phases (ms): ${JSON.stringify(outcome.durationsMs)}`);
    console.log(
      `   pool ${outcome.poolSize}, written ${outcome.written}, held-out accuracy ${(Number(accuracy ?? NaN) * 100).toFixed(1)}%`,
    );
  }
  await trainerThread?.close();
  return digits;
}

async function scoringThroughput(
  backend: ChosenBackend,
  digits: ReturnType<typeof loadMnistArrays>,
) {
  const rows = Array.from({ length: 2_000 }, (_, i) => i);
  const model = await trainClassifier({
    tf: backend.tf,
    architecture: 'dense',
    spec: DEFAULT_INPUT_SPEC,
    numClasses: 10,
    multiLabel: false,
    pixels: gatherPixels(digits.pixels, rows),
    targets: oneHot(digits.labels, rows),
    epochs: 1,
    seed: 1,
  });
  const predictor = new Predictor(backend.tf, model);
  predictor.predict(digits.pixels.subarray(0, 784 * 1_000), 1_000); // warm-up
  const n = 10_000;
  const t = performance.now();
  predictor.predict(digits.pixels.subarray(0, 784 * n), n);
  const s = (performance.now() - t) / 1000;
  console.log(
    `2. scoring (probabilities + 64-d embeddings): ${n} images in ${s.toFixed(2)} s = ${Math.round(n / s)} img/s (goal ≥ 20,000)`,
  );
  return { predictor, model };
}

async function write100k(knex: Knex) {
  const project = await createProject({
    tx: knex,
    project: { name: `write-${Date.now()}`, options: ['a', 'b'] },
  });
  const n = 100_000;
  for (let i = 0; i < n; i += 10_000) {
    await insertSamples({
      tx: knex,
      projectId: project.id,
      samples: Array.from({ length: 10_000 }, (_, k) => ({
        sourceUri: `/w/${i + k}`,
        contentHash: fakeHash(),
        width: 1,
        height: 1,
        byteSize: 1,
      })),
    });
  }
  const ids = await knex('samples')
    .where({ project_id: project.id })
    .orderBy('id')
    .pluck<number[]>('id');
  const rng = createRng(5);
  const priorities = ids.map(() => rng());
  const t = performance.now();
  const { written } = await writeQueueOrder({
    knex,
    projectId: project.id,
    model: undefined,
    poolSize: ids.length,
    rowsFor: (start, end) =>
      ids.slice(start, end).map((id, k) => ({
        id,
        priority: priorities[start + k] ?? 0,
        predictedLabel: 'a',
        predictedConfidence: 0.5,
      })),
  });
  const s = (performance.now() - t) / 1000;
  console.log(
    `3. writing ${written} priorities (+ suggestions) in one transaction, ${PRIORITY_CHUNK}-row chunks: ${s.toFixed(2)} s (goal ≤ 2 s)`,
  );
}

/** Scoring + selection over a synthetic pool streamed in 2,000-row pages, as scorePool does. */
function memoryAt(n: number, predictor: Predictor) {
  const rng = createRng(n);
  const page = 2_000;
  const probs = new FloatPages();
  const embeddings = new FloatPages();
  const pixels = new Uint8Array(page * 784).map(() => Math.floor(rng() * 256));
  const t = performance.now();
  for (let done = 0; done < n; done += page) {
    const rows = Math.min(page, n - done);
    const out = predictor.predict(pixels.subarray(0, rows * 784), rows);
    probs.push(out.probs);
    embeddings.push(out.embeddings);
  }
  const settings = parseAcquisitionSettings({});
  const order = planQueueOrder({
    settings,
    probs: probs.join(),
    numClasses: 10,
    multiLabel: false,
    embeddings: embeddings.join(),
    dim: predictor.embeddingDim,
    rng,
  });
  console.log(
    `4. pool ${n}: scoring + selection ${((performance.now() - t) / 1000).toFixed(1)} s, selected ${order.selected.length}, peak RSS so far ${mb(peakRss())}`,
  );
}

const backend = await chooseBackend({ logger });
const db = await openBenchDb();
try {
  const digits = await cycle(db.knex, backend);
  const { predictor, model } = await scoringThroughput(backend, digits);
  await write100k(db.knex);
  for (const n of [...args.pools].sort((a, b) => a - b)) memoryAt(n, predictor);
  model.dispose();
  console.log(`peak RSS of the whole benchmark process: ${mb(peakRss())}`);
} finally {
  await db.close();
}
