/**
 * The second model a retrain may train only to score uncertainty: the same classifier on the
 * labelled images as they are, without the random shifts the project's model trains on.
 *
 * Why two: shifts make the better classifier (the one users see, export and get suggestions
 * from), but what a shift-trained model is unsure about is not what a model trained on the
 * images themselves would learn most from, and the picks are judged by the latter. While labels
 * are few the shifts' better class predictions matter more (they steer class balance), so the
 * project's model scores until `unshifted_scorer_per_class` labels per class.
 */
import type { AcquisitionSettings } from '@al/contract';
import type { LayersModel } from '@tensorflow/tfjs';
import { architectureFor } from '../model/architecture';
import { trainClassifier } from '../model/trainClassifier';
import type { LabelledSet } from './labelledData';
import type { TrainerThread } from './trainerThread';
import type { TrainingJob } from './trainAndEvaluate';

/** Whether this retrain scores uncertainty with an unshifted model. */
export function wantsUnshiftedScorer(
  settings: Pick<AcquisitionSettings, 'unshifted_scorer_per_class'>,
  trainCount: number,
  numClasses: number,
): boolean {
  return trainCount >= settings.unshifted_scorer_per_class * Math.max(1, numClasses);
}

/** A scorer in training: beside the project's model in the trainer thread, or after it here. */
export interface PendingScorer {
  /** The trained scorer; without a thread it trains now, on this thread. */
  model(): Promise<LayersModel>;
  /** Stops it and frees what it holds (when the project's model failed). */
  cancel(): Promise<void>;
}

/** Starts the scorer in `thread` right away, or defers it to `model()` without one. */
export function startUnshiftedScorer(
  o: TrainingJob & {
    epochs: number;
    train: LabelledSet;
    numClasses: number;
    thread?: TrainerThread;
    /** Whether labellers would feel training now (paces the thread). */
    busy?: () => boolean;
  },
): PendingScorer {
  const input = {
    architecture: architectureFor(o.backend),
    spec: o.spec,
    numClasses: o.numClasses,
    multiLabel: o.multiLabel,
    pixels: o.train.pixels,
    targets: o.train.targets,
    epochs: o.epochs,
    maxShift: 0,
    seed: o.seed,
  };
  const { thread } = o;
  if (!thread) {
    return {
      model: () => trainClassifier({ tf: o.tf, ...input, signal: o.signal, pace: o.pace }),
      cancel: () => Promise.resolve(),
    };
  }
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const training = thread.train(o.tf, input, { signal, busy: o.busy }).then((r) => r.model);
  // Awaited by model() or cancel(); until then a failure must not count as unhandled.
  training.catch(() => undefined);
  return {
    model: () => training,
    cancel: async () => {
      stop.abort();
      (await training.catch(() => undefined))?.dispose();
    },
  };
}
