import path from 'node:path';

/** The demo project seeded on first start: MNIST digits, labels '0'..'9' in button order. */
export const DIGITS_PROJECT_NAME = 'digits';
export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Where the demo PNGs live: <dataDir>/demo/digits/<label>/<index>.png. */
export function digitsDemoFolder(dataDir: string): string {
  return path.resolve(dataDir, 'demo', DIGITS_PROJECT_NAME);
}

/**
 * The true label of a demo image, read from its folder name; undefined for any other path.
 * Benchmarks and tests use it to play a labeller who always answers correctly.
 */
export function trueDigitLabelOf(sourceUri: string): string | undefined {
  const parts = sourceUri.split(/[\\/]/);
  const label = parts.at(-2);
  if (parts.at(-3) !== DIGITS_PROJECT_NAME || label === undefined) return undefined;
  return (DIGIT_LABELS as readonly string[]).includes(label) ? label : undefined;
}
