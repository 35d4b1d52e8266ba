/**
 * The held-out share is labelled at a steady rate and in an order of its own, never in
 * acquisition order: otherwise the hardest images would be measured first and the reported
 * accuracy would be biased and incomparable between model versions. The acquisition order of
 * the training pool is kept as it is; a held-out sample takes every (1/share)-th place, in a
 * random order fixed per sample id (the same on every retrain, so the held-out labels given so
 * far are always a random prefix of one permutation).
 */

/** A stable pseudo-random key per sample id (an integer hash), for the held-out order. */
function idKey(id: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface InterleaveInput {
  ids: readonly number[];
  heldOut: Uint8Array;
  /** Acquisition priorities of every pool row; only the training rows' values are used. */
  priorities: Float64Array;
  /** Target share of hand-outs that are held-out samples, in (0, 1). */
  share: number;
}

/** Priorities for the whole pool, in (0, 1], higher first: the merged order. */
export function interleaveHeldOut({
  ids,
  heldOut,
  priorities,
  share,
}: InterleaveInput): Float64Array {
  const train: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < ids.length; i++) (heldOut[i] ? held : train).push(i);
  train.sort((a, b) => (priorities[b] ?? 0) - (priorities[a] ?? 0) || a - b);
  held.sort((a, b) => idKey(ids[a] ?? 0) - idKey(ids[b] ?? 0) || a - b);
  const n = ids.length;
  const out = new Float64Array(n);
  const every = share > 0 ? 1 / share : Infinity;
  let t = 0;
  let h = 0;
  for (let position = 0; position < n; position++) {
    // Held-out sample j sits at place ⌊(j + 0.5) / share⌋ while both lists last.
    const heldDue =
      h < held.length && (t >= train.length || position >= Math.floor((h + 0.5) * every));
    const row = heldDue ? held[h++] : train[t++];
    out[row ?? 0] = (n - position) / n;
  }
  return out;
}
