/**
 * Trains a fresh classifier on flat uint8 pixels (or, for a head, a backbone's feature rows)
 * and target rows. Fresh weights every time:
 * warm-starting from the previous version would carry its bias into the next (the samples it
 * chose are exactly the ones it was wrong about), and a small network trains in seconds.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';
import { createRng, randomInt } from '../acquisition/rng';
import { featureLength, type InputSpec } from '../features/inputSpec';
import { maxShiftFor, shiftedRows } from './augment';
import { buildClassifier, type ArchitectureName, type ClassifierShape } from './architecture';
import type { Pace } from '../pacing/pacer';
import { trainEpoch } from './trainEpoch';
import { WeightAverage } from './weightAverage';

/** A head's inputs: n × dim floats (backboneHead.ts scales them). */
export interface FeatureRows {
  rows: Float32Array;
  dim: number;
}

/** n × featureLength uint8 pixels, or a head's feature rows (architecture 'head'). */
type Inputs =
  { pixels: Uint8Array; features?: undefined } | { features: FeatureRows; pixels?: undefined };

interface TrainingOptions extends ClassifierShape {
  tf: TensorFlow;
  architecture: ArchitectureName;
  /** n × numClasses targets (one-hot, or multi-hot when multiLabel). */
  targets: Float32Array;
  /** Default: epochsFor(n, spec). */
  epochs?: number;
  batchSize?: number;
  /** Seeds the initial weights, the order of examples and the shifts in every epoch. */
  seed: number;
  /** Random shifts of up to this many pixels each epoch (see augment.ts); 0: none. */
  maxShift?: number;
  /** Share of the last epochs whose weights are averaged into the result; 0: none. */
  averageShare?: number;
  signal?: AbortSignal;
  /** Awaited after every batch (bounded slices, see pacing/pacer.ts). */
  pace?: Pace;
}

export type TrainingInput = TrainingOptions & Inputs;

/** A seeded Fisher-Yates permutation of 0..n-1 (tfjs's own shuffle uses Math.random). */
function permutation(n: number, rng: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const t = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = t;
  }
  return order;
}

/** Rows `order` of n × numClasses targets. */
function targetRows(targets: Float32Array, order: Int32Array, numClasses: number): Float32Array {
  const out = new Float32Array(order.length * numClasses);
  order.forEach((row, r) => {
    out.set(targets.subarray(row * numClasses, (row + 1) * numClasses), r * numClasses);
  });
  return out;
}

/** Row length the pass budget is set for: 28×28 grey. */
const REFERENCE_ROW_LENGTH = 784;

/**
 * 64k sample-passes up to 1,000 labels, tapering to 32k at 2,000 and beyond, within [10, 160]
 * epochs: 100 labels get 160 epochs (cheap), 500 get 128, 2,000 get 16. Every epoch sees each
 * image shifted anew (augment.ts), and the passes are what turn that into accuracy, most of
 * all for the hard examples active learning picks: more passes lift the accuracy of a model
 * trained on uncertainty picks and leave one trained on random picks where it was. The taper
 * keeps a full retrain cycle on a few thousand labels to seconds on wasm.
 * A pass costs about its row length (the first dense layer dominates), so rows longer than
 * 28×28 grey get passes divided by the square root of how much longer they are (32×32 RGB:
 * about half): a retrain on large images stays short enough that the model ordering the
 * hand-outs of labellers who do not wait for it is not many labels old.
 */
export function epochsFor(n: number, spec: InputSpec): number {
  const taper = Math.min(1, Math.max(0, (n - 1_000) / 1_000));
  const widthScale = Math.sqrt(Math.min(1, REFERENCE_ROW_LENGTH / featureLength(spec)));
  const passes = (64_000 - 32_000 * taper) * widthScale;
  return Math.min(160, Math.max(10, Math.round(passes / Math.max(1, n))));
}

/**
 * 64 examples a batch (fewer only when there are fewer labels), also past 1,000 labels: with
 * augmentation, the extra steps of the smaller batch buy accuracy for a little more time.
 */
export function batchSizeFor(n: number): number {
  return Math.max(1, Math.min(64, n));
}

/**
 * Examples an epoch uses: whole batches only, the remainder waits for the next epoch's
 * shuffle. A scrap batch is harmful: 450 labels at 64 a batch would end every epoch on a step
 * from 2 examples, and Adam scales steps, not gradients, so that step moves the weights as far
 * as a full batch's on the noise of two examples.
 */
export function examplesPerEpoch(n: number, batchSize: number): number {
  return n <= batchSize ? n : Math.floor(n / batchSize) * batchSize;
}

const DEFAULT_AVERAGE_SHARE = 1 / 3;

/** First epoch whose weights are averaged (epochs when none are). */
export function averagingStart(epochs: number, share: number): number {
  return share <= 0 ? epochs : Math.min(epochs - 1, Math.floor(epochs * (1 - share)));
}

/** Rows `order` of the inputs as the model's input batch (pixels shifted when asked to). */
function inputBatch(input: TrainingInput, rng: () => number) {
  const { tf, spec, features } = input;
  if (features) {
    const { rows, dim } = features;
    return (order: Int32Array) => {
      const out = new Float32Array(order.length * dim);
      order.forEach((row, r) => {
        out.set(rows.subarray(row * dim, (row + 1) * dim), r * dim);
      });
      return tf.tensor2d(out, [order.length, dim]);
    };
  }
  const { pixels } = input;
  const maxShift = input.maxShift ?? maxShiftFor(spec);
  return (order: Int32Array) => shiftedRows(tf, pixels, order, spec, maxShift, rng);
}

export async function trainClassifier(input: TrainingInput): Promise<LayersModel> {
  const { tf, targets, numClasses, signal } = input;
  const n = targets.length / numClasses;
  const shape = { ...input, inputLength: input.features?.dim };
  const model = buildClassifier(tf, input.architecture, shape, input.seed);
  // Every batch's inputs and targets are built in JS from its rows, shifted or not: tf.gather
  // from a float copy of the whole set is slower on wasm than the copy loop.
  const rng = createRng(input.seed ^ 0x5eed);
  const xsOf = inputBatch(input, rng);
  const epochs = input.epochs ?? epochsFor(n, input.spec);
  const batchSize = input.batchSize ?? batchSizeFor(n);
  const averageFrom = averagingStart(epochs, input.averageShare ?? DEFAULT_AVERAGE_SHARE);
  const average = new WeightAverage(tf, model);
  try {
    // One epoch at a time over a seeded permutation: initial weights and example order replay
    // from the seed (dropout masks do not, see architecture.ts, so two runs of one seed still
    // differ a little).
    const { multiLabel, pace } = input;
    const batch = (rows: Int32Array) => ({
      xs: xsOf(rows),
      ys: tf.tensor2d(targetRows(targets, rows, numClasses), [rows.length, numClasses]),
    });
    for (let epoch = 0; epoch < epochs && !signal?.aborted; epoch++) {
      const order = permutation(n, rng).subarray(0, examplesPerEpoch(n, batchSize));
      await trainEpoch({ tf, model, order, batchSize, batch, multiLabel, signal, pace });
      if (epoch >= averageFrom) average.add();
    }
    signal?.throwIfAborted();
    average.apply();
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    average.dispose();
    // The model was compiled with an optimizer object, which model.dispose() leaves alone: its
    // moments (two per weight) would outlive every training.
    model.optimizer.dispose();
  }
}
