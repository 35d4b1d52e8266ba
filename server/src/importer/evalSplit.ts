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
