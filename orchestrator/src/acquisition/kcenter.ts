/**
 * Lightly-style greedy selection (see DESIGN.md, "Selection, as Lightly defines it").
 *
 * One pick at a time, the eligible candidate with the largest product of objectives, each
 * raised to its strength:
 *   distance to the nearest centre  ×  weight^weightStrength  ×  balance(class)^balanceStrength
 * Centres are the already-labelled embeddings plus every pick so far (k-center greedy).
 * `minDistance` is a threshold filter, outside the product: a candidate nearer than it to
 * some centre is never picked, and selection stops when none is left (or at nSamples). So
 * every pair in selected ∪ labelled is at least minDistance apart, except labelled pairs.
 *
 * Embeddings are normalised to unit length inside (a copy), so distances lie in [0, 2].
 * Without a balance term the picks are lazy (kcenterLazy.ts: same picks, far fewer distance
 * computations). With one, the eager loop below: each new centre costs one distance pass over the candidates, pruned by the triangle
 * inequality (kcenterDistances.ts), plus one O(N) argmax pass per pick. Weights and the
 * balance term never need Math.pow per candidate per pick: weight^s is constant per sample
 * and the balance term depends only on the class (C values per pick).
 */
import {
  candidatesToUpdate,
  gapsToOwningCentres,
  lowerToCentre,
  normalisedRows,
  PICKED,
  type Frontier,
} from './kcenterDistances';
import { lazyPicks } from './kcenterLazy';

export interface KCenterWeights {
  /** One weight per candidate in [0, 1], e.g. an uncertainty score. */
  values: Float32Array;
  /** Exponent in the product; negative inverts the preference. */
  strength: number;
}

export interface KCenterBalance {
  /** Predicted class per candidate, 0 ≤ class < target.length. */
  predictedClass: Int32Array;
  /** Target share per class (normalised inside). */
  target: Float64Array;
  strength: number;
  /** Per-class counts already in the labelled set, counted as selected. */
  labelledCounts?: Float64Array;
}

export interface KCenterInput {
  /** N × dim candidate embeddings, row-major. */
  candidates: Float32Array;
  /** M × dim already-labelled embeddings: existing centres, never selected. */
  labelled?: Float32Array;
  dim: number;
  nSamples: number;
  /** 0..2 on unit-length embeddings; 0 disables the filter. */
  minDistance?: number;
  weights?: KCenterWeights;
  balance?: KCenterBalance;
}

export interface KCenterSelection {
  /** Candidate indices in selection order. */
  indices: Int32Array;
  /** Distance of each pick to its nearest centre when picked (Infinity: no centre yet). */
  distances: Float32Array;
}

/** Weights are floored so that a zero weight still ranks zero-weight candidates by distance. */
const MIN_WEIGHT = 1e-6;

function validate(input: KCenterInput, n: number): void {
  const { candidates, labelled, dim, nSamples, minDistance = 0, weights, balance } = input;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be ≥ 1, got ${dim}`);
  if (candidates.length % dim !== 0) {
    throw new RangeError(`candidates has ${candidates.length} values, not a multiple of ${dim}`);
  }
  if (labelled && labelled.length % dim !== 0) {
    throw new RangeError(`labelled has ${labelled.length} values, not a multiple of ${dim}`);
  }
  if (!Number.isInteger(nSamples) || nSamples < 0) {
    throw new RangeError(`nSamples must be an integer ≥ 0, got ${nSamples}`);
  }
  if (!(minDistance >= 0 && minDistance <= 2)) {
    throw new RangeError(`minDistance must be in [0, 2], got ${minDistance}`);
  }
  if (weights && weights.values.length !== n) {
    throw new RangeError(`weights has ${weights.values.length} values for ${n} candidates`);
  }
  if (balance) {
    if (balance.predictedClass.length !== n) {
      throw new RangeError(
        `predictedClass has ${balance.predictedClass.length} values for ${n} candidates`,
      );
    }
    const c = balance.target.length;
    for (const cls of balance.predictedClass) {
      if (cls < 0 || cls >= c) throw new RangeError(`predicted class ${cls} outside 0..${c - 1}`);
    }
  }
}

/** weight^strength per candidate, or 1 everywhere. */
function weightFactors(n: number, weights: KCenterWeights | undefined): Float64Array {
  const out = new Float64Array(n).fill(1);
  if (!weights || weights.strength === 0) return out;
  for (let i = 0; i < n; i++) {
    const w = Math.min(1, Math.max(MIN_WEIGHT, weights.values[i] ?? 0));
    out[i] = Math.pow(w, weights.strength);
  }
  return out;
}

/**
 * Balance term per class: target share over the current (Laplace-smoothed) share, raised to
 * the strength, so an under-represented class scores > 1 and an over-represented one < 1.
 */
function updateBalanceFactors(
  balance: KCenterBalance,
  counts: Float64Array,
  total: number,
  out: Float64Array,
): void {
  const c = out.length;
  let targetSum = 0;
  for (let k = 0; k < c; k++) targetSum += balance.target[k] ?? 0;
  for (let k = 0; k < c; k++) {
    const target = (balance.target[k] ?? 0) / targetSum;
    const current = ((counts[k] ?? 0) + 1) / (total + c);
    out[k] = Math.pow(target / current, balance.strength);
  }
}

// Over 80 lines on purpose: the eager pick loop shares a dozen typed arrays (distances,
// owners, bounds, class counts) that helpers would have to pass around on every pick.
export function selectKCenter(input: KCenterInput): KCenterSelection {
  const { dim, nSamples, minDistance = 0, weights, balance } = input;
  const n = input.candidates.length / dim;
  validate(input, n);
  const { rows, sq } = normalisedRows(input.candidates, dim);
  const limit = Math.min(nSamples, n);

  // The centre store: labelled rows first, then each pick's row, so a centre has one id.
  const labelled = normalisedRows(input.labelled ?? new Float32Array(0), dim);
  const m = labelled.sq.length;
  const centres = new Float32Array((m + limit) * dim);
  centres.set(labelled.rows);
  const centreSq = new Float64Array(m + limit);
  centreSq.set(labelled.sq);
  const gap = new Float64Array(m + limit);

  // With no centre at all every candidate is "infinitely" far; 2 (the sphere's diameter)
  // keeps the product finite, so the first pick is the best-weighted one (ties: lowest index).
  const frontier: Frontier = {
    minDist: new Float64Array(n).fill(2),
    owner: new Int32Array(n).fill(-1),
    owned: new Int32Array(m + limit),
  };
  const { minDist, owner, owned } = frontier;
  const work = new Int32Array(n);
  /** Makes stored centre `id` a centre: one pruned distance pass over the candidates. */
  const addCentre = (id: number): void => {
    gapsToOwningCentres(centres, centreSq, owned, dim, id, gap);
    const count = candidatesToUpdate(frontier, gap, work);
    lowerToCentre(rows, sq, dim, work, count, centres, id, centreSq[id] ?? 0, frontier);
  };
  for (let j = 0; j < m; j++) addCentre(j);

  const factor = weightFactors(n, weights);
  if (!balance) {
    return lazyPicks({
      rows,
      sq,
      dim,
      minDist,
      centres,
      centreSq,
      labelledCount: m,
      factor,
      limit,
      minDistance,
    });
  }
  // From here on there is a balance term (eager loop).
  const numClasses = balance.target.length;
  const classOf = balance.predictedClass;
  const classCounts = new Float64Array(numClasses);
  if (balance.labelledCounts) classCounts.set(balance.labelledCounts.subarray(0, numClasses));
  let classTotal = classCounts.reduce((a, b) => a + b, 0);
  const classFactor = new Float64Array(numClasses).fill(1);

  const indices = new Int32Array(limit);
  const distances = new Float32Array(limit);
  let picked = 0;
  while (picked < limit) {
    updateBalanceFactors(balance, classCounts, classTotal, classFactor);
    let best = -1;
    let bestObjective = -Infinity;
    for (let i = 0; i < n; i++) {
      const d = minDist[i] ?? 0;
      if (d === PICKED || d < minDistance) continue;
      const objective = d * (factor[i] ?? 0) * (classFactor[classOf[i] ?? 0] ?? 0);
      if (objective > bestObjective) {
        bestObjective = objective;
        best = i;
      }
    }
    if (best < 0) break; // every remaining candidate is nearer than minDistance to a centre
    indices[picked] = best;
    distances[picked] = m + picked > 0 ? (minDist[best] ?? 0) : Infinity;
    minDist[best] = PICKED;
    const previousOwner = owner[best] ?? -1;
    if (previousOwner >= 0) owned[previousOwner] = (owned[previousOwner] ?? 0) - 1;
    const cls = classOf[best] ?? 0;
    classCounts[cls] = (classCounts[cls] ?? 0) + 1;
    classTotal++;

    const id = m + picked;
    picked++;
    if (picked === limit) break;
    centres.set(rows.subarray(best * dim, (best + 1) * dim), id * dim);
    centreSq[id] = sq[best] ?? 0;
    addCentre(id);
  }
  return { indices: indices.slice(0, picked), distances: distances.slice(0, picked) };
}
