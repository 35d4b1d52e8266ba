/**
 * Agreement between labellers over the items several of them answered: Fleiss' kappa for the
 * project (any number of answers per item), per class the specific agreement (how often a second
 * answer on an item where someone chose the class chose it too), per pair Cohen's kappa on the
 * items both answered, and per labeller the share of other answers on their items that match
 * theirs. Kappas correct the raw agreement for what chance alone gives with these label
 * frequencies, so a labeller always answering the common class does not look careful.
 */
import type { GroupedAnswers } from '@al/labels';

export interface PairAgreement {
  a: number;
  b: number;
  shared: number;
  /** Share of shared items answered alike. */
  agreement: number;
  /** Cohen's kappa; null when chance agreement is 1 (both always gave one same class). */
  kappa: number | null;
}

export interface LabellerAgreement {
  labeller: number;
  answers: number;
  /** Items of theirs that someone else answered too. */
  sharedItems: number;
  /** Of the other answers on those items, the share equal to theirs; null without any. */
  agreement: number | null;
  /** Their pairs' kappas weighted by shared items; null without a pair. */
  kappa: number | null;
}

export interface ClassAgreement {
  cls: number;
  answers: number;
  /** Σ n_c(n_c − 1) / Σ n_c(n − 1) over items with ≥ 2 answers; null when never chosen there. */
  specificAgreement: number | null;
}

export interface Agreement {
  /** Items with at least two answers. */
  items: number;
  fleissKappa: number | null;
  perClass: ClassAgreement[];
  perLabeller: LabellerAgreement[];
  pairs: PairAgreement[];
}

/** (observed − chance) / (1 − chance), or null when chance agreement is total. */
function kappaOf(observed: number, chance: number): number | null {
  return chance >= 1 - 1e-12 ? null : (observed - chance) / (1 - chance);
}

function bump(counts: Float64Array, at: number, by: number): void {
  counts[at] = (counts[at] ?? 0) + by;
}

/** One pair's counts over the items both answered: agreements and each one's class counts. */
class PairCounts {
  shared = 0;
  alike = 0;
  constructor(
    readonly countsA: Float64Array,
    readonly countsB: Float64Array,
  ) {}
}

export function computeAgreement(g: GroupedAnswers): Agreement {
  const { classes, labellers } = g;
  const pairs = new Map<number, PairCounts>();
  const classAnswers = new Float64Array(classes);
  const classSame = new Float64Array(classes);
  const classPossible = new Float64Array(classes);
  const perClassTotal = new Float64Array(classes);
  const answers = new Float64Array(labellers);
  const sharedItems = new Float64Array(labellers);
  const othersAlike = new Float64Array(labellers);
  const othersTotal = new Float64Array(labellers);
  const counts = new Float64Array(classes);
  let items = 0;
  let pSum = 0;
  let rated = 0;
  for (let item = 0; item < g.items; item++) {
    const start = g.itemStart[item] ?? 0;
    const end = g.itemStart[item + 1] ?? 0;
    const n = end - start;
    for (let x = start; x < end; x++) {
      bump(answers, g.labeller[x] ?? 0, 1);
      bump(perClassTotal, g.label[x] ?? 0, 1);
    }
    if (n < 2) continue;
    items++;
    counts.fill(0);
    for (let x = start; x < end; x++) bump(counts, g.label[x] ?? 0, 1);
    let same = 0;
    for (let c = 0; c < classes; c++) {
      const k = counts[c] ?? 0;
      same += k * (k - 1);
      bump(classAnswers, c, k);
      bump(classSame, c, k * (k - 1));
      bump(classPossible, c, k * (n - 1));
    }
    pSum += same / (n * (n - 1));
    rated += n;
    for (let x = start; x < end; x++) {
      const lx = g.labeller[x] ?? 0;
      const vx = g.label[x] ?? 0;
      bump(sharedItems, lx, 1);
      bump(othersAlike, lx, (counts[vx] ?? 0) - 1);
      bump(othersTotal, lx, n - 1);
      for (let y = x + 1; y < end; y++) {
        const ly = g.labeller[y] ?? 0;
        const vy = g.label[y] ?? 0;
        const [a, b, va, vb] = lx < ly ? [lx, ly, vx, vy] : [ly, lx, vy, vx];
        const key = a * labellers + b;
        let pair = pairs.get(key);
        if (!pair) {
          pair = new PairCounts(new Float64Array(classes), new Float64Array(classes));
          pairs.set(key, pair);
        }
        pair.shared++;
        if (va === vb) pair.alike++;
        bump(pair.countsA, va, 1);
        bump(pair.countsB, vb, 1);
      }
    }
  }

  let chance = 0;
  for (let c = 0; c < classes; c++) chance += ((classAnswers[c] ?? 0) / Math.max(1, rated)) ** 2;
  const pairList: PairAgreement[] = [...pairs].map(([key, p]) => {
    let pairChance = 0;
    for (let c = 0; c < classes; c++) {
      pairChance += ((p.countsA[c] ?? 0) / p.shared) * ((p.countsB[c] ?? 0) / p.shared);
    }
    const agreement = p.alike / p.shared;
    return {
      a: Math.floor(key / labellers),
      b: key % labellers,
      shared: p.shared,
      agreement,
      kappa: kappaOf(agreement, pairChance),
    };
  });
  const perLabeller: LabellerAgreement[] = Array.from({ length: labellers }, (_, j) => {
    let weighted = 0;
    let weight = 0;
    for (const p of pairList) {
      if ((p.a === j || p.b === j) && p.kappa !== null) {
        weighted += p.kappa * p.shared;
        weight += p.shared;
      }
    }
    const total = othersTotal[j] ?? 0;
    return {
      labeller: j,
      answers: answers[j] ?? 0,
      sharedItems: sharedItems[j] ?? 0,
      agreement: total > 0 ? (othersAlike[j] ?? 0) / total : null,
      kappa: weight > 0 ? weighted / weight : null,
    };
  });
  return {
    items,
    fleissKappa: items === 0 ? null : kappaOf(pSum / items, chance),
    perClass: Array.from({ length: classes }, (_, c) => ({
      cls: c,
      answers: perClassTotal[c] ?? 0,
      specificAgreement:
        (classPossible[c] ?? 0) > 0 ? (classSame[c] ?? 0) / (classPossible[c] ?? 1) : null,
    })),
    perLabeller,
    pairs: pairList.sort((x, y) => x.a - y.a || x.b - y.b),
  };
}
