/**
 * Cold-start orders on arrays (no Postgres, no model): how good are the first k images of an
 * order for a fixed judge network trained on them? Compares random orders with typical-coverage
 * orders (PCA embedding of the pool, typicality weight, k-center distance) on MNIST variants.
 * Usage: npx tsx orchestrator/bench/coldStartOrder.ts [--seeds 3] [--budgets 50,100,200,400]
 *        [--strengths 0,1,2] [--dims 32] [--variant digits|longtail]
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { selectKCenter } from '../src/acquisition/kcenter';
import { createRng, randomInt, type Rng } from '../src/acquisition/rng';
import { typicality } from '../src/acquisition/typicality';
import { chooseBackend, type TensorFlow } from '../src/backend/chooseBackend';
import { fitPca, projectPca } from '../src/embedding/pca';
import { gatherPixels, loadMnistArrays, oneHot, type DigitArrays } from './mnistArrays';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string' },
    budgets: { type: 'string' },
    strengths: { type: 'string' },
    dims: { type: 'string' },
    variant: { type: 'string' },
  },
});
const list = z.string().transform((s) => s.split(',').map(Number));
const args = z
  .object({
    seeds: z.coerce.number().int().min(1).default(3),
    budgets: list.default([50, 100, 200, 400]),
    strengths: list.default([0, 1, 2]),
    dims: list.default([32]),
    variant: z.enum(['digits', 'longtail']).default('digits'),
  })
  .parse(values);

function shuffle(rows: number[], rng: Rng): number[] {
  const a = [...rows];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [a[i], a[j]] = [a[j] ?? 0, a[i] ?? 0];
  }
  return a;
}

function split(data: DigitArrays, seed: number): { pool: number[]; test: number[] } {
  const rng = createRng(seed);
  const all = shuffle([...Array(data.n).keys()], rng);
  const test = all.slice(0, 2000);
  let rest = all.slice(2000);
  if (args.variant === 'longtail') {
    // class c keeps a share 0.1^(c/9): 10:1 between the most and least frequent class
    rest = rest.filter((i) => rng() < 0.1 ** ((data.labels[i] ?? 0) / 9));
  }
  return { pool: rest.slice(0, 4000), test };
}

async function judge(tf: TensorFlow, data: DigitArrays, train: number[], test: number[]) {
  let acc = 0;
  for (const s of [1, 2]) {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [784],
          units: 256,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: s }),
        }),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({
          units: 10,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: s + 10 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
    const x = tf.div(
      tf.tensor2d(gatherPixels(data.pixels, train), [train.length, 784], 'float32'),
      255,
    );
    const y = tf.tensor2d(oneHot(data.labels, train), [train.length, 10]);
    await model.fit(x, y, { epochs: Math.ceil(20000 / train.length), batchSize: 32 });
    const tx = tf.div(
      tf.tensor2d(gatherPixels(data.pixels, test), [test.length, 784], 'float32'),
      255,
    );
    const pred = (model.predict(tx) as ReturnType<typeof tf.tensor2d>).argMax(1).dataSync();
    let ok = 0;
    test.forEach((row, i) => (ok += pred[i] === data.labels[row] ? 1 : 0));
    acc += ok / test.length / 2;
    tf.dispose([x, y, tx]);
    model.dispose();
  }
  return acc;
}

function typicalOrder(
  tf: TensorFlow,
  data: DigitArrays,
  pool: number[],
  dim: number,
  strength: number,
  seed: number,
) {
  const rng = createRng(seed);
  const pixels = gatherPixels(data.pixels, pool);
  const basis = fitPca(tf, pixels, pool.length, dim, rng);
  const emb = projectPca(tf, basis, pixels, pool.length);
  const typ = typicality(tf, emb, basis.dim, rng);
  const max = Math.max(...args.budgets);
  const { indices } = selectKCenter({
    candidates: emb,
    dim: basis.dim,
    nSamples: max,
    weights: { values: typ, strength },
  });
  return { order: [...indices].map((r) => pool[r] ?? 0), explained: basis.explained };
}

const logger = pino({ level: 'warn' });
const { tf } = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger });
const data = loadMnistArrays();
const rows: Record<string, number[][]> = {};
for (let seed = 1; seed <= args.seeds; seed++) {
  const { pool, test } = split(data, seed);
  const orders: Record<string, number[]> = { random: shuffle(pool, createRng(seed * 7)) };
  for (const dim of args.dims) {
    for (const s of args.strengths) {
      const t0 = performance.now();
      const { order, explained } = typicalOrder(tf, data, pool, dim, s, seed);
      console.log(
        `seed ${seed} pca${dim} s=${s}: ordered in ${Math.round(performance.now() - t0)} ms, explained ${explained.toFixed(2)}`,
      );
      orders[`pca${dim}-typ^${s}`] = order;
    }
  }
  for (const [name, order] of Object.entries(orders)) {
    const accs: number[] = [];
    for (const b of args.budgets) accs.push(await judge(tf, data, order.slice(0, b), test));
    (rows[name] ??= []).push(accs);
    console.log(`seed ${seed} ${name}: ${accs.map((a) => (100 * a).toFixed(1)).join(' ')}`);
  }
}
console.log(`\nmean over ${args.seeds} seeds (${args.variant}), budgets ${args.budgets.join(',')}`);
for (const [name, r] of Object.entries(rows)) {
  const mean = args.budgets.map((_, b) => r.reduce((s, x) => s + (x[b] ?? 0), 0) / r.length);
  console.log(`${name.padEnd(16)} ${mean.map((a) => (100 * a).toFixed(1)).join('  ')}`);
}
