/** What every bench data set provides: a pool to import and label, a test set for the judge. */

export const DATASET_NAMES = ['digits', 'longtail', 'noisy', 'shapes', 'fashion', 'cifar'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** One image as raw interleaved 8-bit pixels, the way sharp takes them. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

export interface ImageSet {
  n: number;
  /** True class index per image. */
  labels: Int32Array;
  /** The judge's input per image, row-major n × dim, values 0..1. */
  features: Float32Array;
  dim: number;
}

/**
 * Simulated labelling noise, fixed per pool image so that the system's order and the random
 * orders meet the same mistakes: a noisy labeller answers `wrongClass[i]` when `wrong[i]` is 1.
 */
export interface LabelNoise {
  wrong: Uint8Array;
  wrongClass: Int32Array;
  rate: number;
}

export interface BenchDataset {
  name: DatasetName;
  classNames: string[];
  pool: ImageSet;
  test: ImageSet;
  /** Pool image i exactly as it is written to disk and imported. */
  poolImage: (i: number) => RawImage;
  /** Test image i as raw pixels, like poolImage: for evaluating the system's own models. */
  testImage: (i: number) => RawImage;
  noise?: LabelNoise;
  /** One line for the report: sizes, class profile, test-set profile. */
  description: string;
}

/** The class a labeller answers for pool image i. */
export function answerFor(ds: BenchDataset, i: number, noisyLabeller: boolean): number {
  const truth = ds.pool.labels[i] ?? -1;
  if (!noisyLabeller || !ds.noise || ds.noise.wrong[i] !== 1) return truth;
  return ds.noise.wrongClass[i] ?? truth;
}

export function classCounts(labels: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}
