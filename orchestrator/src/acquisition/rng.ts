/**
 * A seeded random number generator, so that every random choice of the acquisition step
 * (the `random` function, `shuffle_prop`, cold-start tie-breaking) can be replayed from a seed.
 * Math.random is never used here: a benchmark or a failing test must be reproducible.
 */

/** Uniform in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: 32-bit state, one multiply-xorshift round per draw. Plenty for shuffling and
 * random scores (not for cryptography); fast because it stays in int32 arithmetic.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer uniform in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
