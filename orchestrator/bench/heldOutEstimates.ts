/**
 * How close can a model's reported accuracy get to its accuracy on a large test set when only
 * the random held-out share (26/256 of the labels) is labelled? Per data set, seed and label
 * count: the product's classifier trained on random labels, then five estimates of its accuracy
 * against the judge's 2,000 test images (weighted to the pool's class mix):
 * - heldOut: share of the labelled held-out samples predicted right (what the product reports);
 * - confidence: mean top probability over the whole held-out share (no labels used);
 * - ppi: prediction-powered (PPI++, power-tuned λ): heldOut + λ·(mean confidence − mean
 *   confidence on the labelled ones);
 * - temperature: confidence after temperature scaling fitted on the labelled held-out samples;
 * - mixed: the labelled ones counted right/wrong, the rest at their temperature-scaled confidence.
 * Usage: npm run bench:held-out -- [--variants fashion,digits,shapes,longtail] [--seeds 5]
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { createRng } from '../src/acquisition/rng';
import { chooseBackend } from '../src/backend/chooseBackend';
import { architectureFor } from '../src/model/architecture';
import { Predictor } from '../src/model/predictInBatches';
import { trainClassifier } from '../src/model/trainClassifier';
import {
  HELD_OUT_SHARE,
  loadColdStartData,
  shuffle,
  variantsOption,
  type ColdStartData,
} from './coldStartData';
import { gatherPixels, oneHot } from './mnistArrays';

const { values } = parseArgs({
  options: { variants: { type: 'string' }, seeds: { type: 'string' } },
});
const args = z
  .object({
    variants: variantsOption,
    seeds: z.coerce.number().int().min(1).default(5),
  })
  .parse(values);

const C = 10;
const LABEL_COUNTS = [300, 400, 500, 600];
const ESTIMATORS = ['heldOut', 'confidence', 'ppi', 'temperature', 'mixed'] as const;
type Estimates = Record<(typeof ESTIMATORS)[number], number>;

const mean = (xs: ArrayLike<number>) =>
  Array.from(xs).reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);

/** Per row: 1 if the argmax is the label, and the log-probabilities. */
function rowsOf(probs: Float32Array, labels: readonly number[]) {
  return labels.map((label, i) => {
    const logp = Array.from(probs.subarray(i * C, (i + 1) * C), (p) =>
      Math.log(Math.max(p, 1e-12)),
    );
    const best = logp.indexOf(Math.max(...logp));
    return { right: best === label ? 1 : 0, logp, label };
  });
}

/** Softmax of logp / t: its top probability and the probability of `label`. */
function scaled(logp: number[], t: number, label: number) {
  const z = logp.map((v) => v / t);
  const top = Math.max(...z);
  const sum = z.reduce((s, v) => s + Math.exp(v - top), 0);
  return { top: 1 / sum, ofLabel: Math.exp((z[label] ?? 0) - top) / sum };
}

/** The temperature minimising the labelled rows' negative log-likelihood (golden-section on log t). */
function fitTemperature(labelled: ReturnType<typeof rowsOf>): number {
  const nll = (logT: number) =>
    -labelled.reduce(
      (s, r) => s + Math.log(Math.max(scaled(r.logp, Math.exp(logT), r.label).ofLabel, 1e-12)),
      0,
    );
  let [lo, hi] = [Math.log(0.2), Math.log(10)];
  for (let i = 0; i < 40; i++) {
    const a = lo + (hi - lo) / 3;
    const b = hi - (hi - lo) / 3;
    if (nll(a) < nll(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

function estimate(held: ReturnType<typeof rowsOf>, m: number): Estimates {
  const labelled = held.slice(0, m);
  const conf = held.map((r) => Math.exp(Math.max(...r.logp)));
  const y = labelled.map((r) => r.right);
  const f = conf.slice(0, m);
  const [my, mf] = [mean(y), mean(f)];
  const cov = mean(y.map((v, i) => (v - my) * ((f[i] ?? 0) - mf)));
  const varF = mean(f.map((v) => (v - mf) ** 2));
  const lambda = varF > 0 ? Math.min(1, Math.max(0, cov / varF / (1 + m / held.length))) : 0;
  const t = fitTemperature(labelled);
  const tops = held.map((r) => scaled(r.logp, t, r.label).top);
  return {
    heldOut: my,
    confidence: mean(conf),
    ppi: my + lambda * (mean(conf) - mf),
    temperature: mean(tops),
    mixed: mean(held.map((r, i) => (i < m ? r.right : (tops[i] ?? 0)))),
  };
}

/** Test accuracy with each test image weighted by its class's share of the pool. */
function weightedTestAccuracy(data: ColdStartData, probs: Float32Array): number {
  const share = (rows: number[]) => {
    const s = new Float64Array(C);
    for (const r of rows) s[data.labels[r] ?? 0] = (s[data.labels[r] ?? 0] ?? 0) + 1 / rows.length;
    return s;
  };
  const [pool, test] = [share(data.pool), share(data.test)];
  const rows = rowsOf(
    probs,
    data.test.map((r) => data.labels[r] ?? 0),
  );
  let [sum, weight] = [0, 0];
  rows.forEach((r) => {
    const w = (pool[r.label] ?? 0) / Math.max(test[r.label] ?? 0, 1e-9);
    sum += w * r.right;
    weight += w;
  });
  return sum / weight;
}

const { tf, name: backend } = await chooseBackend({
  env: { TF_BACKEND: 'wasm' },
  logger: pino({ level: 'warn' }),
});
for (const variant of args.variants) {
  const errors: Record<string, number[]> = {};
  for (let seed = 1; seed <= args.seeds; seed++) {
    const data = await loadColdStartData(variant, seed);
    const pool = shuffle(data.pool, createRng(seed * 99));
    const heldN = Math.round(pool.length * HELD_OUT_SHARE);
    const [held, train] = [pool.slice(0, heldN), pool.slice(heldN)];
    for (const k of LABEL_COUNTS) {
      const m = Math.round(k * HELD_OUT_SHARE);
      const trained = train.slice(0, k - m);
      const model = await trainClassifier({
        tf,
        architecture: architectureFor(backend),
        spec: data.spec,
        numClasses: C,
        multiLabel: false,
        pixels: gatherPixels(data.pixels, trained, data.dim),
        targets: oneHot(data.labels, trained),
        seed: seed + k,
      });
      const predictor = new Predictor(tf, model);
      const onHeld = predictor.predict(gatherPixels(data.pixels, held, data.dim), held.length);
      const onTest = predictor.predict(
        gatherPixels(data.pixels, data.test, data.dim),
        data.test.length,
      );
      model.dispose();
      const truth = weightedTestAccuracy(data, onTest.probs);
      const est = estimate(
        rowsOf(
          onHeld.probs,
          held.map((r) => data.labels[r] ?? 0),
        ),
        m,
      );
      const line = ESTIMATORS.map((e) => `${e} ${(100 * est[e]).toFixed(1)}`).join(', ');
      console.log(
        `${variant} seed ${seed} ${k} labels (${m} held out): test ${(100 * truth).toFixed(1)}; ${line}`,
      );
      for (const e of ESTIMATORS) (errors[e] ??= []).push(100 * (est[e] - truth));
    }
  }
  for (const e of ESTIMATORS) {
    const d = errors[e] ?? [];
    const rms = Math.sqrt(mean(d.map((x) => x * x)));
    const within = d.filter((x) => Math.abs(x) <= 3).length / d.length;
    console.log(
      `${variant.padEnd(9)} ${e.padEnd(12)} bias ${mean(d).toFixed(1)}  rms ${rms.toFixed(1)}  within 3 points ${(100 * within).toFixed(0)}% of ${d.length}`,
    );
  }
}
