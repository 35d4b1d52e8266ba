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
import type { TrainingJob } from './trainAndEvaluate';

/** Whether this retrain scores uncertainty with an unshifted model. */
export function wantsUnshiftedScorer(
  settings: Pick<AcquisitionSettings, 'unshifted_scorer_per_class'>,
  trainCount: number,
  numClasses: number,
): boolean {
  return trainCount >= settings.unshifted_scorer_per_class * Math.max(1, numClasses);
}

export async function trainUnshiftedScorer(
  o: TrainingJob & { train: LabelledSet; numClasses: number },
): Promise<LayersModel> {
  return trainClassifier({
    tf: o.tf,
    architecture: architectureFor(o.backend),
    spec: o.spec,
    numClasses: o.numClasses,
    multiLabel: o.multiLabel,
    pixels: o.train.pixels,
    targets: o.train.targets,
    epochs: o.epochs,
    maxShift: 0,
    seed: o.seed,
    signal: o.signal,
    pace: o.pace,
  });
}
