import type { SampleSplit } from '@al/db';

/** First hash byte below this goes to evaluation: 26/256 ≈ 10.2% of samples. */
const EVAL_FIRST_BYTE_BELOW = 26;

/**
 * Held-out share chosen by content hash, so it is the same on every re-import and for a
 * copy of the same image, and never depends on import order or on who labels what.
 */
export function splitForContentHash(sha256Hex: string): SampleSplit {
  return Number.parseInt(sha256Hex.slice(0, 2), 16) < EVAL_FIRST_BYTE_BELOW ? 'eval' : 'train';
}

/**
 * The hand-out order before the orchestrator has ordered a project (or new images since it
 * last did): random by content hash, never the folder's order (a folder per class would hand
 * out one class at a time). Below 1e-3, so any order the orchestrator writes ((0, 1]) goes first.
 */
export function importPriorityForContentHash(sha256Hex: string): number {
  return (Number.parseInt(sha256Hex.slice(2, 10), 16) / 0x1_0000_0000) * 1e-3;
}
