/**
 * The active-learning loop on arrays, in one process (no Postgres, no socket): what bench:al
 * measures through the running system, minus the transport, so that acquisition settings can
 * be compared on several data sets in minutes instead of hours. Per data set, seed and
 * settings: the product's pool embedding (PCA) and typicality; then, every `--every` labels,
 * the product's classifier trained on the training labels so far (true answers), the open pool
 * scored, planQueueOrder with those settings, the held-out share interleaved as orderPool does,
 * and the next `--every` hand-outs taken from the top. The judge (judgeOrder.ts) is trained on
 * the first k hand-outs of each order and on random orders of the same pool.
 * `--lag L` mimics labellers who keep labelling while a retrain runs (a crowd): each retrain
 * trains on the hand-outs but the last L, which are taken but not yet labelled for it.
 * `--schedule T:W[:S],…` replays a crowd's timing instead (bench:al's "trainedOn T, broadcast
 * at W labels" per model): the cold-start order hands out until the first W; then each model,
 * trained on the first hand-outs that hold T training labels for S (default 1) of its default
 * passes, orders the hand-outs until the next W.
 * Usage: npm run bench:al-arrays -- [--variants digits,fashion,shapes,longtail,cifar]
 *        [--seeds 2] [--first-seed 1] [--every 50] [--lag 0] [--schedule 61:145,131:279:0.5]
 *        [--budgets 100,200,400,600]
 *        [--random-orders 2] [--configs '{"default":{},"no-diversity":{"diversity":false}}']
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { interleaveHeldOut } from '../src/acquisition/heldOutInterleave';
import { planQueueOrder, uncertaintyStrength } from '../src/acquisition/planQueueOrder';
import { createRng, type Rng } from '../src/acquisition/rng';
import { typicality } from '../src/acquisition/typicality';
import { chooseBackend, type TensorFlow } from '../src/backend/chooseBackend';
import { pcaEmbedder } from '../src/embedding/pcaEmbedder';
import { halfWhitenedProjection } from '../src/model/pcaProjection';
import {
  architectureFor,
  prefersPcaProjection,
  type InputProjection,
} from '../src/model/architecture';
import { Predictor } from '../src/model/predictInBatches';
import { epochsFor, trainClassifier } from '../src/model/trainClassifier';
import { wantsUnshiftedScorer } from '../src/training/unshiftedScorer';
import {
  HELD_OUT_SHARE,
  loadColdStartData,
  shuffle,
  variantsOption,
  type ColdStartData,
} from './coldStartData';
import { badgeSelect } from './badge';
import { parseLoopConfigs, type Config } from './loopConfigs';
import { judgeRows } from './judgeOrder';
import { Suggestions } from './suggestions';
import { readHolding, scheduleOption } from './crowdSchedule';
import { gatherPixels, oneHot } from './mnistArrays';
import { mcDropoutProbs, meanProbs } from './mcDropout';

const { values } = parseArgs({
  options: {
    variants: { type: 'string' },
    seeds: { type: 'string' },
    'first-seed': { type: 'string' },
    every: { type: 'string' },
    lag: { type: 'string' },
    schedule: { type: 'string' },
    budgets: { type: 'string' },
    'random-orders': { type: 'string' },
    configs: { type: 'string' },
  },
});
const numbers = z.string().transform((s) => s.split(',').map(Number));
const args = z
  .object({
    variants: variantsOption,
    seeds: z.coerce.number().int().min(1).default(2),
    'first-seed': z.coerce.number().int().min(1).default(1),
    every: z.coerce.number().int().min(1).default(50),
    lag: z.coerce.number().int().min(0).default(0),
    schedule: scheduleOption.optional(),
    budgets: numbers.default([100, 200, 400, 600]),
    'random-orders': z.coerce.number().int().min(1).default(2),
    configs: z
      .string()
      .transform((s) => z.record(z.string(), z.unknown()).parse(JSON.parse(s)))
      .default({ default: {} }),
  })
  .parse(values);
const configs = parseLoopConfigs(args.configs);

const NUM_CLASSES = 10;

interface PoolView {
  data: ColdStartData;
  /** Per pool position: held out (never trained on). */
  heldOut: Uint8Array;
  embeddings: Float32Array;
  dim: number;
  typicality: Float32Array;
  /** The product model's frozen layer on colour pixels (architecture 'pca'). */
  projection?: InputProjection;
}

async function viewPool(tf: TensorFlow, data: ColdStartData, rng: Rng): Promise<PoolView> {
  const { pool } = data;
  const pixels = gatherPixels(data.pixels, pool, data.dim);
  const fitted = await pcaEmbedder(tf).fit({ pixels, n: pool.length }, data.spec, rng);
  const embeddings = await fitted.embed(pixels, pool.length);
  return {
    data,
    heldOut: Uint8Array.from(pool, () => (rng() < HELD_OUT_SHARE ? 1 : 0)),
    embeddings,
    dim: fitted.dim,
    typicality: typicality(tf, embeddings, fitted.dim, rng),
    projection:
      prefersPcaProjection(backend, data.spec) && fitted.pca
        ? halfWhitenedProjection(fitted.pca)
        : undefined,
  };
}

function gatherRows(source: Float32Array, dim: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((row, r) => {
    out.set(source.subarray(row * dim, (row + 1) * dim), r * dim);
  });
  return out;
}

interface Scored {
  probs: Float32Array;
  /** The scoring model's embedding layer: open rows, then covered rows. */
  open: Float32Array;
  covered: Float32Array;
  dim: number;
}

/**
 * The open training rows scored by `ensemble` models trained on `trained` (pool positions), and
 * the `covered` rows embedded by the first.
 */
async function scoreOpen(
  tf: TensorFlow,
  view: PoolView,
  trained: number[],
  covered: number[],
  open: number[],
  seed: number,
  config: Pick<Config, 'settings' | 'ensemble' | 'passes' | 'mcPasses' | 'maxShift' | 'mixScorer'>,
): Promise<Scored> {
  const { passes, mcPasses, mixScorer } = config;
  const unshifted = wantsUnshiftedScorer(config.settings, trained.length, NUM_CLASSES);
  const ensemble = unshifted && mixScorer ? Math.max(2, config.ensemble) : config.ensemble;
  // The product's scorer trains without shifts; a mix keeps them in every other model.
  const shiftOf = (m: number) => (unshifted && !(mixScorer && m % 2 === 0) ? 0 : config.maxShift);
  const { data } = view;
  const rowsOf = (positions: number[]) => positions.map((p) => data.pool[p] ?? 0);
  const trainedPixels = gatherPixels(data.pixels, rowsOf(trained), data.dim);
  const openPixels = gatherPixels(data.pixels, rowsOf(open), data.dim);
  let first: Scored | undefined;
  const probs = new Float32Array(open.length * NUM_CLASSES);
  for (let m = 0; m < ensemble; m++) {
    // The product's unshifted scorer is the dense network; its model may sit behind the PCA.
    const projection = shiftOf(m) === 0 && unshifted ? undefined : view.projection;
    const model = await trainClassifier({
      tf,
      architecture: projection ? 'pca' : architectureFor(backend),
      projection,
      spec: data.spec,
      numClasses: NUM_CLASSES,
      multiLabel: false,
      maxShift: shiftOf(m),
      pixels: trainedPixels,
      targets: oneHot(data.labels, rowsOf(trained)),
      seed: seed + 7919 * m,
      epochs: Math.max(1, Math.round(epochsFor(trained.length, data.spec) * passes)),
    });
    try {
      const predictor = new Predictor(tf, model);
      const onOpen = predictor.predict(openPixels, open.length);
      if (mcPasses > 0) {
        onOpen.probs = meanProbs(mcDropoutProbs(tf, model, openPixels, open.length, mcPasses));
      }
      onOpen.probs.forEach((v, i) => (probs[i] = (probs[i] ?? 0) + v / ensemble));
      first ??= {
        probs,
        open: onOpen.embeddings,
        covered: predictor.predict(
          gatherPixels(data.pixels, rowsOf(covered), data.dim),
          covered.length,
        ).embeddings,
        dim: predictor.embeddingDim,
      };
    } finally {
      model.dispose();
    }
  }
  if (!first) throw new Error('ensemble of no models');
  return first;
}

/** The hand-out order (pool positions) the loop produces with `settings`, up to `length`. */
async function loopOrder(
  tf: TensorFlow,
  view: PoolView,
  config: Config,
  length: number,
  seed: number,
): Promise<{ order: number[]; retrainMs: number[]; trace: string[] }> {
  const { settings, coldDiversityOnly, badge, warmTypicality } = config;
  const rng = createRng(seed * 31 + 7);
  const n = view.data.pool.length;
  const taken = new Uint8Array(n);
  const order: number[] = [];
  const retrainMs: number[] = [];
  /** Per retrain with a model: labels, agreement with the previous model, uncertainty's exponent. */
  const trace: string[] = [];
  const suggestions = new Suggestions(n, NUM_CLASSES);
  for (let step = 0; order.length < length; step++) {
    // With a schedule: the model of the step before orders this step's hand-outs.
    const replayed = args.schedule && step > 0 ? args.schedule[step - 1] : undefined;
    const until = args.schedule
      ? (args.schedule[step]?.broadcastAt ?? length)
      : order.length + args.every;
    const started = performance.now();
    const open: number[] = [];
    const openTrain: number[] = [];
    for (let p = 0; p < n; p++) {
      if (taken[p]) continue;
      open.push(p);
      if (!view.heldOut[p]) openTrain.push(p);
    }
    const read = args.schedule
      ? readHolding(order, view.heldOut, replayed?.trainedOn ?? 0)
      : Math.max(0, order.length - args.lag);
    const trained = order.slice(0, read).filter((p) => !view.heldOut[p]);
    const inFlight = order.slice(read).filter((p) => !view.heldOut[p]);
    const covered = config.coverTaken ? [...trained, ...inFlight] : trained;
    const scored =
      trained.length >= settings.min_labels_for_model
        ? await scoreOpen(tf, view, trained, covered, openTrain, seed + order.length, {
            ...config,
            passes: config.passes * (replayed?.share ?? 1),
          })
        : undefined;
    const labelledCounts = new Float64Array(NUM_CLASSES);
    for (const p of trained) {
      const c = view.data.labels[view.data.pool[p] ?? 0] ?? 0;
      labelledCounts[c] = (labelledCounts[c] ?? 0) + 1;
    }
    const agreement = scored ? suggestions.replace(scored.probs, openTrain) : undefined;
    const u = scored ? uncertaintyStrength(settings, trained.length, NUM_CLASSES, agreement) : 0;
    const warm = scored !== undefined && u > 0;
    const openTypicality = gatherRows(view.typicality, 1, openTrain);
    // planQueueOrder raises what it gets to t = typicality_strength: pass typ^(e/t) for typ^e.
    if (warmTypicality !== undefined) {
      const t = settings.typicality_strength;
      const e = t * (1 - u) + warmTypicality * u;
      openTypicality.forEach((v, i) => (openTypicality[i] = t > 0 ? v ** (e / t) : v));
    }
    const plan = planQueueOrder({
      settings: {
        ...settings,
        n_samples: Math.min(settings.n_samples, openTrain.length),
        diversity: settings.diversity && !(warm && coldDiversityOnly),
      },
      probs: scored?.probs,
      numClasses: NUM_CLASSES,
      multiLabel: false,
      labelledCount: trained.length,
      agreement,
      typicality: openTypicality,
      embeddings: gatherRows(view.embeddings, view.dim, openTrain),
      labelledEmbeddings: gatherRows(view.embeddings, view.dim, covered),
      labelledCounts,
      dim: view.dim,
      modelSpace:
        scored &&
        (() => ({ embeddings: scored.open, labelledEmbeddings: scored.covered, dim: scored.dim })),
      rng,
    });
    let trainScores = plan.priorities;
    if (warm && badge) {
      const picks = badgeSelect(
        scored.probs,
        scored.open,
        NUM_CLASSES,
        scored.dim,
        args.every,
        rng,
      );
      trainScores = new Float64Array(openTrain.length);
      picks.forEach((r, rank) => (trainScores[r] = 2 + picks.length - rank));
    }
    const trainPriorities = new Float64Array(open.length);
    let t = 0;
    open.forEach((p, i) => {
      if (!view.heldOut[p]) trainPriorities[i] = trainScores[t++] ?? 0;
    });
    const heldOut = Uint8Array.from(open, (p) => view.heldOut[p] ?? 0);
    const heldCount = heldOut.reduce((s, h) => s + h, 0);
    const priorities = interleaveHeldOut({
      ids: open,
      heldOut,
      priorities: trainPriorities,
      share: heldCount / Math.max(open.length, 1),
    });
    const next = open
      .map((p, i) => ({ p, priority: priorities[i] ?? 0 }))
      .sort((a, b) => b.priority - a.priority)
      .slice(0, Math.max(1, Math.min(until, length) - order.length));
    for (const { p } of next) {
      taken[p] = 1;
      order.push(p);
    }
    retrainMs.push(performance.now() - started);
    if (scored) {
      trace.push(
        `${trained.length}:${agreement?.toFixed(2) ?? '-'}/${plan.uncertaintyStrength.toFixed(2)}`,
      );
    }
  }
  return { order, retrainMs, trace };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);
const logger = pino({ level: 'warn' });
const { tf, name: backend } = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger });
const maxBudget = Math.max(...args.budgets);
/** accuracies[variant][order name] = one array of budget accuracies per seed. */
const accuracies: Record<string, Record<string, number[][]>> = {};
const seeds = Array.from({ length: args.seeds }, (_, i) => args['first-seed'] + i);
for (const variant of args.variants) {
  const byOrder = (accuracies[variant] = {} as Record<string, number[][]>);
  for (const seed of seeds) {
    const data = await loadColdStartData(variant, seed);
    const view = await viewPool(tf, data, createRng(seed));
    const orders: Record<string, number[]> = {};
    for (let r = 0; r < args['random-orders']; r++) {
      orders[`random${r}`] = shuffle(
        Array.from(data.pool, (_, p) => p),
        createRng(seed * 1000 + r),
      );
    }
    for (const [name, config] of Object.entries(configs)) {
      const { order, retrainMs, trace } = await loopOrder(tf, view, config, maxBudget, seed);
      console.log(
        `${variant} seed ${seed} ${name}: ${retrainMs.length} retrains, mean ${Math.round(mean(retrainMs))} ms; labels:agreement/u ${trace.join(' ')}`,
      );
      orders[name] = order;
    }
    for (const [name, order] of Object.entries(orders)) {
      const accs: number[] = [];
      for (const b of args.budgets) {
        const rows = order.slice(0, b).map((p) => data.pool[p] ?? 0);
        accs.push(await judgeRows(data, rows, data.test, seed));
      }
      const key = name.startsWith('random') ? 'random' : name;
      (byOrder[key] ??= []).push(accs);
      console.log(
        `${variant} seed ${seed} ${name}: ${accs.map((a) => (100 * a).toFixed(1)).join(' ')}`,
      );
    }
  }
}

console.log(`\nmean over seeds ${seeds.join(',')}, budgets ${args.budgets.join('/')}`);
for (const [variant, byOrder] of Object.entries(accuracies)) {
  const curve = (name: string) =>
    args.budgets.map((_, b) => mean((byOrder[name] ?? []).map((accs) => accs[b] ?? 0)));
  const random = curve('random');
  console.log(
    `${variant.padEnd(9)} random       ${random.map((a) => (100 * a).toFixed(1)).join(' ')}`,
  );
  for (const name of Object.keys(configs)) {
    const c = curve(name);
    const diffs = c.map((a, b) => (100 * (a - (random[b] ?? 0))).toFixed(1));
    console.log(
      `${variant.padEnd(9)} ${name.padEnd(12)} ${c.map((a) => (100 * a).toFixed(1)).join(' ')}  diff ${diffs.join(' ')}  mean ${(
        mean(c.map((a, b) => a - (random[b] ?? 0))) * 100
      ).toFixed(1)}`,
    );
  }
}
