/**
 * The cold-start orders a crowd labels from while a fresh import is still being decoded
 * (followingPool.ts), replayed on arrays: picks ordered on the first quarter of a random
 * import order, then on the first half (covering those), then on the whole pool — as
 * bench:al's crowd takes them (~55 labels from the first order, ~115 by the second). Judged
 * like coldStartOrder against one whole-pool order and a random one, with typicality counting
 * neighbours at the whole pool's scale (the product) or a fixed 20 on every partial pool.
 * Usage: npx tsx orchestrator/bench/partialPoolOrders.ts [--variants digits,fashion,...]
 *        [--seeds 4] [--first-seed 1] [--budgets 50,100,200]
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { selectKCenter } from '../src/acquisition/kcenter';
import { createRng } from '../src/acquisition/rng';
import { typicality } from '../src/acquisition/typicality';
import { chooseBackend } from '../src/backend/chooseBackend';
import { fitPca, projectPca } from '../src/embedding/pca';
import { parseAcquisitionSettings } from '@al/contract';
import { loadColdStartData, shuffle, variantsOption, type ColdStartData } from './coldStartData';
import { judgeRows } from './judgeOrder';
import { gatherPixels } from './mnistArrays';

const { values } = parseArgs({
  options: {
    variants: { type: 'string' },
    seeds: { type: 'string' },
    'first-seed': { type: 'string' },
    budgets: { type: 'string' },
  },
});
const args = z
  .object({
    variants: variantsOption,
    seeds: z.coerce.number().int().min(1).default(4),
    'first-seed': z.coerce.number().int().min(1).default(1),
    budgets: z
      .string()
      .transform((s) => s.split(',').map(Number))
      .default([50, 100, 200]),
  })
  .parse(values);

/** Share of the import decoded when an order was written, and labels taken from it by then. */
const STAGES = [
  { share: 0.25, takenBy: 55 },
  { share: 0.5, takenBy: 170 },
];
const PCA_DIM = 32;

const { tf } = await chooseBackend({
  env: { TF_BACKEND: 'wasm' },
  logger: pino({ level: 'warn' }),
});
const strength = parseAcquisitionSettings({}).typicality_strength;

/** `count` picks among the `decoded` rows, spreading out from `taken`, embedding fit on `decoded`. */
function picks(
  data: ColdStartData,
  decoded: number[],
  taken: number[],
  count: number,
  seed: number,
  wholePool: number | undefined,
): number[] {
  const rng = createRng(seed);
  const px = gatherPixels(data.pixels, decoded, data.dim);
  const basis = fitPca(tf, px, decoded.length, PCA_DIM, rng);
  const emb = projectPca(tf, basis, px, decoded.length);
  const typ = typicality(tf, emb, basis.dim, rng, wholePool);
  const takenSet = new Set(taken);
  const open = decoded.flatMap((row, i) => (takenSet.has(row) ? [] : [{ row, i }]));
  const candidates = new Float32Array(open.length * basis.dim);
  open.forEach(({ i }, k) => {
    candidates.set(emb.subarray(i * basis.dim, (i + 1) * basis.dim), k * basis.dim);
  });
  const { indices } = selectKCenter({
    candidates,
    labelled:
      taken.length > 0
        ? projectPca(tf, basis, gatherPixels(data.pixels, taken, data.dim), taken.length)
        : undefined,
    dim: basis.dim,
    nSamples: count,
    weights: { values: Float32Array.from(open, ({ i }) => typ[i] ?? 0), strength },
  });
  return [...indices].map((k) => open[k]?.row ?? 0);
}

/** The crowd's sequence of orders; `scaled`: typicality at the whole pool's scale. */
function stagedOrder(data: ColdStartData, importOrder: number[], seed: number, scaled: boolean) {
  const total = Math.max(...args.budgets);
  const order: number[] = [];
  for (const { share, takenBy } of STAGES) {
    const decoded = importOrder.slice(0, Math.round(share * importOrder.length));
    const wholePool = scaled ? importOrder.length : undefined;
    order.push(...picks(data, decoded, order, takenBy - order.length, seed, wholePool));
  }
  return [...order, ...picks(data, importOrder, order, total - order.length, seed, undefined)];
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);
const seeds = Array.from({ length: args.seeds }, (_, i) => args['first-seed'] + i);
for (const variant of args.variants) {
  const results: Record<string, number[][]> = {};
  for (const seed of seeds) {
    const data = await loadColdStartData(variant, seed);
    const importOrder = shuffle(data.pool, createRng(seed * 31));
    const orders = {
      random: shuffle(data.pool, createRng(seed * 7)),
      whole: picks(data, data.pool, [], Math.max(...args.budgets), seed, undefined),
      'staged, 20 neighbours': stagedOrder(data, importOrder, seed, false),
      'staged, scaled (product)': stagedOrder(data, importOrder, seed, true),
    };
    for (const [name, order] of Object.entries(orders)) {
      const accs: number[] = [];
      for (const k of args.budgets)
        accs.push(await judgeRows(data, order.slice(0, k), data.test, seed));
      (results[name] ??= []).push(accs);
      console.log(
        `${variant} seed ${seed} ${name}: ${accs.map((a) => (100 * a).toFixed(1)).join(' ')}`,
      );
    }
  }
  console.log(
    `\n${variant}, mean over seeds ${seeds.join(',')}, budgets ${args.budgets.join(' / ')}`,
  );
  for (const [name, r] of Object.entries(results)) {
    const accs = args.budgets.map((_, b) => mean(r.map((x) => x[b] ?? 0)));
    console.log(`  ${name.padEnd(26)} ${accs.map((a) => (100 * a).toFixed(1)).join(' / ')}`);
  }
}
