/**
 * The classifier on pixels, dense against 'pca' (the same layers behind the pool's half-whitened
 * principal components), on random labels: which learns more from few labels, per data set
 * (prefersPcaProjection in architecture.ts). Per variant and seed, the PCA is fitted on 4,000
 * pool images (as the product's pool embedding is), both train with the product's defaults on
 * the first k labels of one random order, and each is tested on the variant's 2,000 test images.
 *
 * Usage: npx tsx orchestrator/bench/architectures.ts [--variants digits,shapes,...] [--seeds 2]
 *        [--budgets 50,100,200,400,600]
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { createRng } from '../src/acquisition/rng';
import { chooseBackend } from '../src/backend/chooseBackend';
import { fitPca } from '../src/embedding/pca';
import { PCA_COMPONENTS } from '../src/embedding/pcaEmbedder';
import { halfWhitenedProjection } from '../src/model/pcaProjection';
import { Predictor } from '../src/model/predictInBatches';
import { trainClassifier } from '../src/model/trainClassifier';
import { FIT_SAMPLE } from '../src/training/scorePool';
import { loadColdStartData, shuffle, variantsOption, type ColdStartData } from './coldStartData';
import { gatherPixels, oneHot } from './mnistArrays';

const { values } = parseArgs({
  options: {
    variants: { type: 'string' },
    seeds: { type: 'string' },
    budgets: { type: 'string' },
  },
});
const args = z
  .object({
    variants: variantsOption,
    seeds: z.coerce.number().int().min(1).default(2),
    budgets: z
      .string()
      .transform((s) => s.split(',').map(Number))
      .pipe(z.array(z.int().positive()))
      .default([50, 100, 200, 400, 600]),
  })
  .parse(values);

const logger = pino({ level: 'warn' });
const { tf } = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger });

function accuracy(probs: Float32Array, data: ColdStartData): number {
  let right = 0;
  data.test.forEach((row, i) => {
    let best = 0;
    for (let c = 1; c < 10; c++)
      if ((probs[i * 10 + c] ?? 0) > (probs[i * 10 + best] ?? 0)) best = c;
    if (best === data.labels[row]) right++;
  });
  return (100 * right) / data.test.length;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

for (const variant of args.variants) {
  const results = new Map<string, number[]>();
  for (let seed = 1; seed <= args.seeds; seed++) {
    const data = await loadColdStartData(variant, seed);
    const order = shuffle(data.pool, createRng(seed * 7 + 1));
    const fitRows = order.slice(0, Math.min(FIT_SAMPLE, order.length));
    const basis = fitPca(
      tf,
      gatherPixels(data.pixels, fitRows, data.dim),
      fitRows.length,
      PCA_COMPONENTS,
      createRng(seed),
    );
    const projection = halfWhitenedProjection(basis);
    const testPixels = gatherPixels(data.pixels, data.test, data.dim);
    for (const budget of args.budgets) {
      const chosen = order.slice(0, budget);
      const labels = Int32Array.from(chosen, (row) => data.labels[row] ?? 0);
      const common = {
        tf,
        spec: data.spec,
        numClasses: 10,
        multiLabel: false,
        pixels: gatherPixels(data.pixels, chosen, data.dim),
        targets: oneHot(labels, [...labels.keys()]),
        seed,
      };
      const line: string[] = [];
      for (const architecture of ['dense', 'pca'] as const) {
        const started = performance.now();
        const model = await trainClassifier({
          ...common,
          architecture,
          projection: architecture === 'pca' ? projection : undefined,
        });
        const seconds = (performance.now() - started) / 1000;
        const acc = accuracy(
          new Predictor(tf, model).predict(testPixels, data.test.length).probs,
          data,
        );
        model.dispose();
        const key = `${architecture}@${budget}`;
        results.set(key, [...(results.get(key) ?? []), acc]);
        line.push(`${architecture} ${acc.toFixed(1)} % (${seconds.toFixed(1)} s)`);
      }
      process.stdout.write(`${variant} seed ${seed} labels ${budget}: ${line.join(' | ')}\n`);
    }
  }
  const row = (architecture: string) =>
    args.budgets.map((b) => mean(results.get(`${architecture}@${b}`) ?? []).toFixed(1)).join(' / ');
  process.stdout.write(
    `${variant} mean over ${args.seeds} seed(s) at ${args.budgets.join(' / ')} labels: dense ${row('dense')}; pca ${row('pca')}\n`,
  );
}
