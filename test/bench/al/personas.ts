/**
 * Who labels: one labeller in wait mode (three taking turns for the noisy data set, one of
 * them noisy), ten in a crowd or a team (three of them noisy for the noisy data set: the
 * nearest tenth to one in three). Random orders use the same labellers in turn.
 */
import { answerFor, type BenchDataset } from './datasets';
import { createRng, deriveSeed, permutation } from './rng';

export const MODES = ['wait', 'crowd', 'team'] as const;
export type Mode = (typeof MODES)[number];

export const CROWD_SIZE = 10;
const CROWD_NOISY = 3;

/**
 * Mean time per label of one labeller who never waits: a crowd labels flat out (2.5 labels/s
 * each, 25 together), a team at a person's pace (0.5 labels/s each, 5 together).
 */
export const CYCLE_MS: Record<Exclude<Mode, 'wait'>, number> = { crowd: 400, team: 2_000 };

export function labellerCount(mode: Mode, ds: BenchDataset): number {
  if (mode !== 'wait') return CROWD_SIZE;
  return ds.noise ? 3 : 1;
}

export function isNoisyLabeller(mode: Mode, ds: BenchDataset, labeller: number): boolean {
  if (!ds.noise) return false;
  return mode === 'wait' ? labeller === 0 : labeller < CROWD_NOISY;
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
