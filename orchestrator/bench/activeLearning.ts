/**
 * Active learning on MNIST with simulated labellers who always answer the true digit, using
 * the orchestrator's own model (trainClassifier, Predictor) and acquisition (planQueueOrder)
 * in process on arrays — no Postgres, so it measures the learning, not the I/O.
 * Protocol per seed: 2,000 digits held out as the test set, the other 8,000 are the pool;
 * every strategy starts from the same 50 random labels; then, repeatedly, train a fresh model
 * on all labels so far, record its test accuracy, and have the strategy choose the next 50.
 *
 * Usage: npm run bench:al -- [--seeds 3] [--budgets 100,200,500,1000] [--max-labels 1000]
 *        [--batch 50] [--quick]   (quick: 1 seed, up to 500 labels)
 *        [--strategies random,margin,...] [--candidate-factor 10] [--epochs-scale 1]
 * Writes bench-results/al-<time>.csv (every step) and .png (mean learning curves).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import sharp from 'sharp';
import { z } from 'zod';
import { planQueueOrder } from '../src/acquisition/planQueueOrder';
import { createRng, randomInt, type Rng } from '../src/acquisition/rng';
import { acquisitionSettingsSchema } from '@al/contract';
import { chooseBackend, type TensorFlow } from '../src/backend/chooseBackend';
import type { LayersModel } from '@tensorflow/tfjs';
import { Predictor } from '../src/model/predictInBatches';
import { pixelsToTensor } from '../src/model/pixels';
import { epochsFor } from '../src/model/trainClassifier';
import { learningCurveSvg } from './learningCurvePlot';
import {
  gatherPixels,
  loadMnistArrays,
  shuffledRows,
  testAccuracy,
  trainOnDigits,
  type DigitArrays,
} from './mnistArrays';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string' },
    budgets: { type: 'string' },
    'max-labels': { type: 'string' },
    batch: { type: 'string' },
    quick: { type: 'boolean', default: false },
    strategies: { type: 'string' },
    'candidate-factor': { type: 'string' },
    'epochs-scale': { type: 'string' },
  },
});
const args = z
  .object({
    seeds: z.coerce.number().int().min(1).optional(),
    budgets: z
      .string()
      .transform((s) => s.split(',').map(Number))
      .pipe(z.array(z.int().positive()))
      .optional(),
    'max-labels': z.coerce.number().int().positive().optional(),
    batch: z.coerce.number().int().positive().default(50),
    quick: z.boolean(),
    'candidate-factor': z.coerce.number().int().min(1).default(10),
    'epochs-scale': z.coerce.number().positive().default(1),
    strategies: z
      .string()
      .transform((s) => s.split(','))
      .optional(),
  })
  .parse(values);
const budgets = args.budgets ?? (args.quick ? [100, 200, 500] : [100, 200, 500, 1000]);
const seeds = args.seeds ?? (args.quick ? 1 : 3);
const maxLabels = args['max-labels'] ?? Math.max(...budgets);
const STEP = args.batch;
const TEST_SIZE = 2_000;

interface Strategy {
  name: string;
  colour: string;
  /** Pool positions (into `unlabelled`) to label next. */
  choose: (ctx: ChooseContext) => number[];
}

interface ChooseContext {
  tf: TensorFlow;
  model: LayersModel;
  predictor: Predictor;
  data: DigitArrays;
  unlabelled: number[];
  labelled: number[];
  rng: Rng;
}

/** Class probabilities averaged over `passes` forward passes with dropout on (MC dropout). */
function mcDropoutProbs(ctx: ChooseContext, pixels: Uint8Array, n: number, passes: number) {
  const sum = new Float32Array(n * 10);
  for (let t = 0; t < passes; t++) {
    const p = ctx.tf.tidy(() => {
      const out = ctx.model.apply(pixelsToTensor(ctx.tf, pixels, n), { training: true });
      if (Array.isArray(out) || !(out instanceof ctx.tf.Tensor)) throw new Error('one output');
      return out.dataSync();
    });
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + (p[i] ?? 0) / passes;
  }
  return sum;
}

function active(fn: 'entropy' | 'margin', diversity: boolean, classBalance = false, mcPasses = 0) {
  return (ctx: ChooseContext): number[] => {
    const pixels = gatherPixels(ctx.data.pixels, ctx.unlabelled);
    const pool = ctx.predictor.predict(pixels, ctx.unlabelled.length);
    if (mcPasses > 0) pool.probs = mcDropoutProbs(ctx, pixels, ctx.unlabelled.length, mcPasses);
    const labelled = diversity
      ? ctx.predictor.predict(gatherPixels(ctx.data.pixels, ctx.labelled), ctx.labelled.length)
      : undefined;
    const settings = acquisitionSettingsSchema.parse({
      function: fn,
      diversity,
      n_samples: STEP,
      candidate_pool: STEP * args['candidate-factor'],
      shuffle_prop: 0,
      min_distance: 0,
      class_balance: classBalance,
    });
    const order = planQueueOrder({
      settings,
      probs: pool.probs,
      numClasses: 10,
      multiLabel: false,
      embeddings: pool.embeddings,
      labelledEmbeddings: labelled?.embeddings,
      labelledCounts: classCounts(ctx.data, ctx.labelled),
      dim: pool.embeddingDim,
      rng: ctx.rng,
    });
    // The head of the queue: highest priorities first.
    const ranked = Array.from(order.priorities.keys()).sort(
      (a, b) => (order.priorities[b] ?? 0) - (order.priorities[a] ?? 0),
    );
    return ranked.slice(0, STEP);
  };
}

function classCounts(data: DigitArrays, rows: number[]): Float64Array {
  const counts = new Float64Array(10);
  for (const r of rows) counts[data.labels[r] ?? 0] = (counts[data.labels[r] ?? 0] ?? 0) + 1;
  return counts;
}

const allStrategies: Strategy[] = [
  {
    name: 'random',
    colour: '#888888',
    choose: ({ unlabelled, rng }) => {
      const picks = new Set<number>();
      while (picks.size < Math.min(STEP, unlabelled.length))
        picks.add(randomInt(rng, unlabelled.length));
      return [...picks];
    },
  },
  { name: 'entropy', colour: '#d62728', choose: active('entropy', false) },
  { name: 'margin', colour: '#1f77b4', choose: active('margin', false) },
  { name: 'entropy+diversity', colour: '#2ca02c', choose: active('entropy', true) },
  { name: 'margin+diversity', colour: '#9467bd', choose: active('margin', true) },
  { name: 'margin+div+balance', colour: '#ff7f0e', choose: active('margin', true, true) },
  { name: 'margin(mc-dropout)', colour: '#8c564b', choose: active('margin', false, false, 8) },
];
const strategies = args.strategies
  ? allStrategies.filter((s) => args.strategies?.includes(s.name))
  : allStrategies;

async function runCurve(tf: TensorFlow, data: DigitArrays, strategy: Strategy, seed: number) {
  const order = shuffledRows(data.n, seed);
  const test = order.slice(0, TEST_SIZE);
  const labelled = order.slice(TEST_SIZE, TEST_SIZE + STEP); // same start for every strategy
  let unlabelled = order.slice(TEST_SIZE + STEP);
  const rng = createRng(seed * 7919 + 1);
  const curve: { labels: number; accuracy: number; ms: number }[] = [];
  for (;;) {
    const started = performance.now();
    tf.engine().startScope();
    const model = await trainOnDigits(tf, data, labelled, {
      epochs: Math.round(epochsFor(labelled.length) * args['epochs-scale']),
      // Same seed for every strategy at the same label count: they differ only in what they chose.
      seed: seed * 100_003 + labelled.length,
    });
    const predictor = new Predictor(tf, model);
    curve.push({ labels: labelled.length, accuracy: testAccuracy(predictor, data, test), ms: 0 });
    if (labelled.length < maxLabels) {
      const picks = new Set(
        strategy.choose({ tf, model, predictor, data, unlabelled, labelled, rng }),
      );
      for (const p of picks) labelled.push(unlabelled[p] ?? 0);
      unlabelled = unlabelled.filter((_, i) => !picks.has(i));
    }
    model.dispose();
    tf.engine().endScope();
    const last = curve.at(-1);
    if (last) last.ms = Math.round(performance.now() - started);
    if (curve.at(-1)?.labels === maxLabels || unlabelled.length === 0) break;
  }
  return curve;
}

const backend = await chooseBackend({ logger: pino({ level: 'warn' }) });
const data = loadMnistArrays();
console.log(
  `backend ${backend.name}; ${data.n} digits; seeds ${seeds}; up to ${maxLabels} labels, step ${STEP}`,
);
const rows: string[] = ['strategy,seed,labels,test_accuracy,step_ms'];
const means = new Map<string, Map<number, number[]>>();
for (let seed = 1; seed <= seeds; seed++) {
  for (const strategy of strategies) {
    const t = performance.now();
    const curve = await runCurve(backend.tf, data, strategy, seed);
    const byLabels = means.get(strategy.name) ?? new Map<number, number[]>();
    means.set(strategy.name, byLabels);
    for (const p of curve) {
      rows.push(`${strategy.name},${seed},${p.labels},${p.accuracy.toFixed(4)},${p.ms}`);
      byLabels.set(p.labels, [...(byLabels.get(p.labels) ?? []), p.accuracy]);
    }
    const at = budgets.map(
      (b) => `${b}:${((curve.find((p) => p.labels === b)?.accuracy ?? NaN) * 100).toFixed(1)}%`,
    );
    console.log(
      `seed ${seed} ${strategy.name.padEnd(18)} ${at.join('  ')}  (${((performance.now() - t) / 1000).toFixed(0)} s)`,
    );
  }
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
/** Labels at which the mean curve first reaches `target` (linear interpolation). */
function labelsToReach(curve: [number, number][], target: number): number | null {
  for (let i = 0; i < curve.length; i++) {
    const [x, y] = curve[i] ?? [0, 0];
    if (y >= target) {
      if (i === 0) return x;
      const [x0, y0] = curve[i - 1] ?? [0, 0];
      return x0 + ((target - y0) / (y - y0)) * (x - x0);
    }
  }
  return null;
}
console.log(`\nmean test accuracy over ${seeds} seed(s):`);
console.log(
  ['strategy'.padEnd(18), ...budgets.map((b) => String(b).padStart(7)), '  labels to 90%'].join(''),
);
const curves = strategies.map((s) => {
  const points = [...(means.get(s.name) ?? new Map<number, number[]>())]
    .map(([x, ys]) => [x, mean(ys)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const to90 = labelsToReach(points, 0.9);
  const cells = budgets.map((b) => {
    const y = points.find(([x]) => x === b)?.[1];
    return (y === undefined ? '-' : `${(y * 100).toFixed(1)}%`).padStart(7);
  });
  console.log(
    [s.name.padEnd(18), ...cells, `  ${to90 === null ? `> ${maxLabels}` : to90.toFixed(0)}`].join(
      '',
    ),
  );
  return { name: s.name, colour: s.colour, points: points.map(([x, y]) => ({ x, y })) };
});

const dir = path.resolve('bench-results');
await mkdir(dir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const base = path.join(dir, `al-${stamp}`);
await writeFile(`${base}.csv`, rows.join('\n') + '\n');
const ys = curves.flatMap((c) => c.points.map((p) => p.y));
const svg = learningCurveSvg(
  `MNIST, mean of ${seeds} seed(s), ${backend.name}`,
  curves,
  Math.floor(Math.min(...ys) * 20) / 20,
  Math.min(1, Math.ceil(Math.max(...ys) * 20) / 20),
);
await sharp(Buffer.from(svg)).png().toFile(`${base}.png`);
console.log(`\nwrote ${base}.csv and ${base}.png`);
