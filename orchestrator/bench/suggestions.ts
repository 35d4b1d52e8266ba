/**
 * The arrays loop's stand-in for samples.predicted_label: the latest model's suggestion per
 * pool position, so each new model's agreement with the one before is computed as the
 * product computes it (modelAgreement.ts).
 */
import { agreementWithPrevious } from '../src/training/modelAgreement';
import { predictionOf } from '../src/training/predictionOf';

export class Suggestions {
  private readonly byPosition: (string | null)[];
  private readonly classNames: string[];

  constructor(poolSize: number, numClasses: number) {
    this.byPosition = Array.from({ length: poolSize }, () => null);
    this.classNames = Array.from({ length: numClasses }, (_, c) => String(c));
  }

  /** Agreement of a new model's `probs` over `positions` with the stored suggestions; then stores its own. */
  replace(probs: Float32Array, positions: readonly number[]): number | undefined {
    const labels = this.classNames;
    const agreement = agreementWithPrevious({
      probs,
      previous: positions.map((p) => this.byPosition[p] ?? null),
      labels,
      multiLabel: false,
    });
    positions.forEach((p, r) => {
      this.byPosition[p] = String(predictionOf(probs, r, labels, false).label);
    });
    return agreement;
  }
}
