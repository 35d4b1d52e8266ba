/**
 * Who labels: one labeller in wait mode (three taking turns for the noisy data set, one of
 * them noisy), ten in the crowd (three of them noisy for the noisy data set: the nearest
 * tenth to one in three). Random orders use the same labellers in turn.
 */
import { answerFor, type BenchDataset } from './datasets';
import { createRng, deriveSeed, permutation } from './rng';

export const MODES = ['wait', 'crowd'] as const;
export type Mode = (typeof MODES)[number];

export const CROWD_SIZE = 10;
const CROWD_NOISY = 3;

export function labellerCount(mode: Mode, ds: BenchDataset): number {
  if (mode === 'crowd') return CROWD_SIZE;
  return ds.noise ? 3 : 1;
}

export function isNoisyLabeller(mode: Mode, ds: BenchDataset, labeller: number): boolean {
  if (!ds.noise) return false;
  return mode === 'crowd' ? labeller < CROWD_NOISY : labeller === 0;
}

export function labellerName(labeller: number): string {
  return `sim-${String(labeller + 1).padStart(2, '0')}`;
}

/** An order of pool images and the class each one was labelled with, in hand-out order. */
export interface LabelledOrder {
  poolIndex: number[];
  given: number[];
}

/** Random permutation r of the pool, labelled by the mode's labellers in turn. */
export function randomOrder(
  ds: BenchDataset,
  mode: Mode,
  seed: number,
  r: number,
  length: number,
): LabelledOrder {
  const poolIndex = permutation(createRng(deriveSeed(seed, 11, r)), ds.pool.n).slice(0, length);
  const count = labellerCount(mode, ds);
  const given = poolIndex.map((i, position) =>
    answerFor(ds, i, isNoisyLabeller(mode, ds, position % count)),
  );
  return { poolIndex, given };
}
