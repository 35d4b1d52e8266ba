/**
 * Cold-start orders on arrays (no Postgres, no model): how good are the first k images of an
 * order for a fixed judge network trained on them? Compares random orders with typical-coverage
 * orders (a label-free embedding of the pool, typicality weight, k-center distance) on MNIST
 * variants and on test/bench/al's procedural colour shapes (32×32×3), for several embeddings
 * (coldStartEmbeddings.ts; `pca` is the product's).
 * Usage: npx tsx orchestrator/bench/coldStartOrder.ts [--seeds 3] [--first-seed 1]
 *        [--budgets 50,100,200,400] [--strengths 0,1,2] [--dims 32]
 *        [--variant digits|longtail|shapes|fashion|cifar]
 *        [--embeddings pca,pca-std,pca-white,grad,grad-px,hog,kmeans,pca+kmeans]
 *        [--skip-judge] [--probcover] [--handover 5,10,20] [--dsquared]
 *        [--typiclust] [--backbone-side 128]
 * --first-seed runs seeds first-seed.. (split a long run over processes); --skip-judge prints
 * the orders' timings and the embeddings' 10-NN purity only (seconds instead of hours);
 * --probcover adds a ProbCover order per embedding (probCover.ts); --handover N adds, per typical
 * order, one that keeps its first N × classes picks and takes the rest of the pool at random;
 * --dsquared adds, per typical order, k-means++ seeding with the same weights (dSquaredOrder.ts);
 * --typiclust adds TypiClust with a k-means step at each budget (typiClustOrder.ts).
 * The backbone embedding feeds its network --backbone-side pixels square.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { selectKCenter } from '../src/acquisition/kcenter';
import { createRng } from '../src/acquisition/rng';
import { typicality } from '../src/acquisition/typicality';
import { chooseBackend, type TensorFlow } from '../src/backend/chooseBackend';
import { loadColdStartData, shuffle, VARIANTS, type ColdStartData } from './coldStartData';
import {
  backbonePool,
  EMBEDDINGS,
  embedPool,
  neighbourPurity,
  type EmbeddingName,
  type PoolEmbedding,
} from './coldStartEmbeddings';
import { judgeRows } from './judgeOrder';
import { gatherPixels } from './mnistArrays';
import { probCoverOrder } from './probCover';
import { dSquaredOrder } from './dSquaredOrder';
import { typiClustOrder } from './typiClustOrder';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string' },
    'first-seed': { type: 'string' },
    budgets: { type: 'string' },
    strengths: { type: 'string' },
    dims: { type: 'string' },
    variant: { type: 'string' },
    embeddings: { type: 'string' },
    'skip-judge': { type: 'boolean' },
    probcover: { type: 'boolean' },
    handover: { type: 'string' },
    dsquared: { type: 'boolean' },
    typiclust: { type: 'boolean' },
    'backbone-side': { type: 'string' },
  },
});
const list = z.string().transform((s) => s.split(',').map(Number));
const args = z
  .object({
    seeds: z.coerce.number().int().min(1).default(3),
    'first-seed': z.coerce.number().int().min(1).default(1),
    budgets: list.default([50, 100, 200, 400]),
    strengths: list.default([0, 1, 2]),
    dims: list.default([32]),
    variant: z.enum(VARIANTS).default('digits'),
    embeddings: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(EMBEDDINGS)))
      .default(['pca']),
    'skip-judge': z.boolean().default(false),
    probcover: z.boolean().default(false),
    handover: list.default([]),
    dsquared: z.boolean().default(false),
    typiclust: z.boolean().default(false),
    'backbone-side': z.coerce.number().int().min(32).max(512).default(128),
  })
  .parse(values);

/** The pool's rows on `embedding` (`size`: PCA components, or the backbone's input side). */
async function embedded(data: ColdStartData, embedding: EmbeddingName, size: number, seed: number) {
  const pool = { pixels: gatherPixels(data.pixels, data.pool, data.dim), n: data.pool.length };
  const rng = createRng(seed);
  const t0 = performance.now();
  const emb =
    embedding === 'backbone'
      ? await backbonePool(tf, { ...pool, spec: data.spec }, size, rng, logger)
      : embedPool(tf, embedding, { ...pool, spec: data.spec }, size, rng);
  return { emb, embedMs: performance.now() - t0 };
}

/** Typicality-weighted k-center order of the pool on `emb`. */
function typicalOrder(
  tf: TensorFlow,
  data: ColdStartData,
  emb: PoolEmbedding,
  strength: number,
  seed: number,
) {
  const { pool } = data;
  const rng = createRng(seed);
  const t1 = performance.now();
  const typ = typicality(tf, emb.rows, emb.dim, rng);
  const { indices } = selectKCenter({
    candidates: emb.rows,
    dim: emb.dim,
    nSamples: Math.max(...args.budgets),
    weights: { values: typ, strength },
  });
  const order = [...indices].map((r) => pool[r] ?? 0);
  const orderMs = performance.now() - t1;
  const labels = pool.map((r) => data.labels[r] ?? -1);
  const purity = neighbourPurity(tf, emb.rows, emb.dim, labels);
  const d2 = args.dsquared
    ? dSquaredOrder({
        rows: emb.rows,
        dim: emb.dim,
        count: Math.max(...args.budgets),
        weights: typ,
        strength,
        rng,
      }).map((r) => pool[r] ?? 0)
    : undefined;
  const typiclust = args.typiclust
    ? typiClustOrder({
        rows: emb.rows,
        dim: emb.dim,
        steps: [...args.budgets].sort((a, b) => a - b),
        typicality: typ,
        rng,
      }).map((r) => pool[r] ?? 0)
    : undefined;
  return { order, d2, typiclust, orderMs, purity };
}

/** Classes in the pool (labels are 0..C-1). */
function classCount(data: ColdStartData): number {
  return Math.max(...data.pool.map((r) => data.labels[r] ?? 0)) + 1;
}

/**
 * The first perClass × classes of `order`, then the rest in the random order's sequence (the
 * same random order as the baseline: the comparison differs only in the head).
 */
function handOver(data: ColdStartData, order: number[], random: number[], perClass: number) {
  const head = order.slice(0, perClass * classCount(data));
  const taken = new Set(head);
  return [...head, ...random.filter((r) => !taken.has(r))];
}

/** Distinct classes among the first k of an order. */
function classesIn(data: ColdStartData, order: number[], k: number): number {
  return new Set(order.slice(0, k).map((r) => data.labels[r])).size;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);
const logger = pino({ level: 'warn' });
const { tf } = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger });
const rows: Record<string, number[][]> = {};
const coverage: Record<string, number[]> = {};
const timings: Record<string, { embed: number[]; order: number[]; purity: number[] }> = {};
const poolSizes: number[] = [];
const seeds = Array.from({ length: args.seeds }, (_, i) => args['first-seed'] + i);
for (const seed of seeds) {
  const data = await loadColdStartData(args.variant, seed);
  const { pool, test } = data;
  poolSizes.push(pool.length);
  const orders: Record<string, number[]> = { random: shuffle(pool, createRng(seed * 7)) };
  for (const embedding of args.embeddings) {
    // A backbone's rows have its own width: --dims applies to the PCA embeddings only.
    const dims = embedding === 'backbone' ? [args['backbone-side']] : args.dims;
    for (const dim of dims) {
      const { emb, embedMs } = await embedded(data, embedding, dim, seed);
      for (const s of args.strengths) {
        const { order, d2, typiclust, orderMs, purity } = typicalOrder(tf, data, emb, s, seed);
        const name = `${embedding}${dim}`;
        console.log(
          `seed ${seed} ${name} s=${s}: embedded ${pool.length} in ${Math.round(embedMs)} ms ` +
            `(${emb.inputDim} inputs, explained ${emb.explained.toFixed(2)}), ordered in ${Math.round(orderMs)} ms, 10-NN purity ${purity.toFixed(3)}`,
        );
        const t = (timings[name] ??= { embed: [], order: [], purity: [] });
        t.embed.push(embedMs);
        t.order.push(orderMs);
        t.purity.push(purity);
        orders[`${name}-typ^${s}`] = order;
        if (d2) orders[`${name}-typ^${s}-d2`] = d2;
        if (typiclust) orders[`${name}-typiclust`] = typiclust;
        for (const perClass of args.handover) {
          orders[`${name}-typ^${s}-h${perClass}`] = handOver(
            data,
            order,
            orders.random ?? [],
            perClass,
          );
        }
      }
      if (args.probcover) {
        const name = `${embedding}${dim}`;
        const { rows, dim: d } = emb;
        const t0 = performance.now();
        const pc = probCoverOrder(
          tf,
          rows,
          d,
          classCount(data),
          Math.max(...args.budgets),
          createRng(seed),
        );
        console.log(
          `seed ${seed} ${name} probcover: δ ${pc.delta.toFixed(2)}, pool covered after ${pc.coveredAt} picks, ${Math.round(performance.now() - t0)} ms`,
        );
        orders[`${name}-probcover`] = pc.order.map((r) => pool[r] ?? 0);
      }
    }
  }
  for (const [name, order] of Object.entries(orders)) {
    const accs: number[] = [];
    for (const b of args.budgets) {
      accs.push(args['skip-judge'] ? NaN : await judgeRows(data, order.slice(0, b), test, seed));
    }
    (rows[name] ??= []).push(accs);
    (coverage[name] ??= []).push(classesIn(data, order, 20));
    console.log(`seed ${seed} ${name}: ${accs.map((a) => (100 * a).toFixed(1)).join(' ')}`);
  }
}
console.log(
  `\nmean over seeds ${seeds.join(',')} (${args.variant}), budgets ${args.budgets.join(',')}`,
);
for (const [name, r] of Object.entries(rows)) {
  const accs = args.budgets.map((_, b) => mean(r.map((x) => x[b] ?? 0)));
  const classes = mean(coverage[name] ?? []).toFixed(1);
  console.log(
    `${name.padEnd(20)} ${accs.map((a) => (100 * a).toFixed(1)).join('  ')}   classes in first 20: ${classes}`,
  );
}
console.log(
  `\nmean time per embedding of the ${args.variant} pool (${Math.round(mean(poolSizes))} images)`,
);
for (const [name, t] of Object.entries(timings)) {
  console.log(
    `${name.padEnd(20)} embed ${Math.round(mean(t.embed))} ms, typicality + k-center ${Math.round(mean(t.order))} ms, ` +
      `10-NN purity ${mean(t.purity).toFixed(3)}`,
  );
}
