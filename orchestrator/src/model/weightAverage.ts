/**
 * Stochastic weight averaging: the running mean of a model's weights over the last epochs of a
 * training, set as the model's weights at the end. With few labels the weights after the last
 * Adam step wander from batch to batch (and dropout adds its own noise), so which epoch a
 * training happens to stop on moves held-out accuracy by a point or more; the mean of the last
 * epochs sits nearer the middle of the region they all explore.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';

export class WeightAverage {
  private sums: Tensor[] | undefined;
  private count = 0;

  constructor(
    private readonly tf: TensorFlow,
    private readonly model: LayersModel,
  ) {}

  /** Adds the model's current weights (call at the end of an epoch). */
  add(): void {
    const weights = this.model.getWeights();
    const previous = this.sums;
    this.sums = previous
      ? previous.map((sum, i) => this.tf.add(sum, weights[i] ?? sum))
      : weights.map((w) => w.clone());
    if (previous) this.tf.dispose(previous);
    this.count += 1;
  }

  /** Sets the model's weights to the mean of those added (unchanged if none were). */
  apply(): void {
    const sums = this.sums;
    if (!sums) return;
    const count = this.count;
    const means = sums.map((sum) => this.tf.div(sum, count));
    this.model.setWeights(means);
    this.tf.dispose(means);
  }

  dispose(): void {
    if (this.sums) this.tf.dispose(this.sums);
    this.sums = undefined;
  }
}
