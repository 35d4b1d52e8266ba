/**
 * Dawid–Skene (1979): one final class per item from several labellers' answers, weighting each
 * labeller by a confusion matrix estimated from the answers themselves (EM). Pure functions
 * over typed arrays, so 100k items × 3 answers fit in a few MB and fit in well under a second.
 */

/** Answers grouped by item: item i's answers are indexes itemStart[i] .. itemStart[i+1]-1. */
export interface GroupedAnswers {
  items: number;
  labellers: number;
  classes: number;
  /** Length items + 1, non-decreasing, itemStart[0] = 0, itemStart[items] = answer count. */
  itemStart: Int32Array;
  /** Per answer: 0 .. labellers-1. */
  labeller: Int32Array;
  /** Per answer: 0 .. classes-1. */
  label: Int32Array;
}

export interface DawidSkeneOptions {
  /** EM rounds after the majority-vote start; DS moves little after ~10 on crowd data. */
  iterations: number;
  /**
   * Dirichlet pseudo-answers added to every row of every confusion matrix, spread as
   * `priorAccuracy` on the diagonal and the rest evenly off it: a labeller with few answers
   * stays near "fairly reliable" instead of swinging to 0 % or 100 % on a handful of items.
   */
  smoothing: number;
  priorAccuracy: number;
}

export const DAWID_SKENE_DEFAULTS: DawidSkeneOptions = {
  iterations: 20,
  smoothing: 4,
  priorAccuracy: 0.7,
};

export interface DawidSkeneModel {
  classes: number;
  /** log P(class). */
  logPrior: Float64Array;
  /** log P(answer l | true class k) of labeller j at [(j * classes + k) * classes + l]. */
  logConfusion: Float64Array;
}

/** Posterior class probabilities of one item into `out` (length classes); returns out. */
export function itemPosterior(
  model: DawidSkeneModel,
  answers: Pick<GroupedAnswers, 'labeller' | 'label'>,
  start: number,
  end: number,
  out: Float64Array,
): Float64Array {
  const k = model.classes;
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    let log = model.logPrior[c] ?? 0;
    for (let a = start; a < end; a++) {
      const j = answers.labeller[a] ?? 0;
      const l = answers.label[a] ?? 0;
      log += model.logConfusion[(j * k + c) * k + l] ?? 0;
    }
    out[c] = log;
    if (log > max) max = log;
  }
  // Softmax in log space: a product of many small probabilities would underflow.
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const p = Math.exp((out[c] ?? 0) - max);
    out[c] = p;
    sum += p;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) / sum;
  return out;
}

/** Soft majority vote: each item's share of answers per class (the EM start). */
export function majorityPosteriors(answers: GroupedAnswers): Float64Array {
  const { items, classes, itemStart, label } = answers;
  const t = new Float64Array(items * classes);
  for (let i = 0; i < items; i++) {
    const start = itemStart[i] ?? 0;
    const end = itemStart[i + 1] ?? 0;
    for (let a = start; a < end; a++) {
      const at = i * classes + (label[a] ?? 0);
      t[at] = (t[at] ?? 0) + 1 / (end - start);
    }
  }
  return t;
}

/** M-step: class prior and smoothed confusion matrices from the current item posteriors. */
function estimateModel(
  answers: GroupedAnswers,
  t: Float64Array,
  opts: DawidSkeneOptions,
): DawidSkeneModel {
  const { items, labellers, classes: k, itemStart, labeller, label } = answers;
  const prior = new Float64Array(k).fill(1); // add-one: no class ever gets probability 0
  const counts = new Float64Array(labellers * k * k);
  const onDiagonal = opts.smoothing * opts.priorAccuracy;
  const offDiagonal = k > 1 ? (opts.smoothing * (1 - opts.priorAccuracy)) / (k - 1) : 0;
  for (let j = 0; j < labellers; j++) {
    for (let c = 0; c < k; c++) {
      for (let l = 0; l < k; l++) counts[(j * k + c) * k + l] = c === l ? onDiagonal : offDiagonal;
    }
  }
  for (let i = 0; i < items; i++) {
    const end = itemStart[i + 1] ?? 0;
    for (let c = 0; c < k; c++) {
      const w = t[i * k + c] ?? 0;
      if (w === 0) continue;
      prior[c] = (prior[c] ?? 0) + w;
      for (let a = itemStart[i] ?? 0; a < end; a++) {
        const at = ((labeller[a] ?? 0) * k + c) * k + (label[a] ?? 0);
        counts[at] = (counts[at] ?? 0) + w;
      }
    }
  }
  const logPrior = new Float64Array(k);
  const priorSum = prior.reduce((s, v) => s + v, 0);
  for (let c = 0; c < k; c++) logPrior[c] = Math.log((prior[c] ?? 0) / priorSum);
  const logConfusion = new Float64Array(labellers * k * k);
  for (let row = 0; row < labellers * k; row++) {
    let rowSum = 0;
    for (let l = 0; l < k; l++) rowSum += counts[row * k + l] ?? 0;
    for (let l = 0; l < k; l++)
      logConfusion[row * k + l] = Math.log((counts[row * k + l] ?? 0) / rowSum);
  }
  return { classes: k, logPrior, logConfusion };
}

/**
 * Fits the model: majority-vote start, then `iterations` rounds of M-step + E-step. `known`
 * (per item a class index, or -1) holds items whose true class is known (gold answers,
 * reviews): their posterior stays that class, so the labellers' answers on them pin down the
 * confusion matrices instead of being guessed from consensus.
 */
export function fitDawidSkene(
  answers: GroupedAnswers,
  opts: DawidSkeneOptions = DAWID_SKENE_DEFAULTS,
  known?: Int32Array,
): DawidSkeneModel {
  const { items, classes: k, itemStart } = answers;
  const t = majorityPosteriors(answers);
  const isKnown = (i: number) => known !== undefined && (known[i] ?? -1) >= 0;
  for (let i = 0; i < items; i++) {
    if (!isKnown(i)) continue;
    const row = t.subarray(i * k, (i + 1) * k);
    row.fill(0);
    row[known?.[i] ?? 0] = 1;
  }
  let model = estimateModel(answers, t, opts);
  for (let round = 0; round < opts.iterations; round++) {
    for (let i = 0; i < items; i++) {
      const start = itemStart[i] ?? 0;
      const end = itemStart[i + 1] ?? 0;
      // No answers: contributes nothing to the M-step; known: its class is not estimated.
      if (start === end || isKnown(i)) continue;
      itemPosterior(model, answers, start, end, t.subarray(i * k, (i + 1) * k));
    }
    model = estimateModel(answers, t, opts);
  }
  return model;
}

/** The most probable class and its probability; ties go to the lowest class index. */
export function argMax(p: Float64Array): { index: number; probability: number } {
  let index = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] ?? 0) > (p[index] ?? 0)) index = c;
  return { index, probability: p[index] ?? 0 };
}
