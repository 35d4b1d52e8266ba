/**
 * Issue #15's check in numbers: how far each model's reported held-out accuracy lies from the
 * same model's accuracy on the test set, over a set of model versions.
 */

/** "Within 3 points" of the issue, as a fraction. */
export const HONESTY_TOLERANCE = 0.03;
/**
 * The orchestrator flags accuracies measured on fewer held-out labels as noisy (and a Wilson
 * interval on so few is ±15 points or more), so the summary is also given without them.
 */
export const MIN_HELD_OUT = 30;

export interface HonestyCheck {
  /** The reported held-out accuracy; null when the model had no held-out label. */
  reported: number | null;
  /** Held-out labels it was measured on. */
  evaluatedOn: number | null;
  /** The reported 95% Wilson interval. */
  interval: readonly [number, number] | null;
  /** The same model on the test set; null when it could not be evaluated. */
  test: number | null;
}

export interface HonestySummary {
  /** Models with both a reported and a test accuracy. */
  models: number;
  /** Mean of reported − test (positive: the system reports more than it achieves). */
  meanDifference: number;
  meanAbsDifference: number;
  /** Share of models whose reported accuracy is within HONESTY_TOLERANCE of the test one. */
  withinTolerance: number;
  /** Share of models whose test accuracy lies inside the reported interval. */
  insideInterval: number;
}

/** Summary over the checks with at least `minHeldOut` held-out labels; undefined if none. */
export function summarizeHonesty(
  checks: readonly HonestyCheck[],
  minHeldOut = 0,
): HonestySummary | undefined {
  const usable = checks.flatMap((c) =>
    c.reported !== null && c.test !== null && (c.evaluatedOn ?? 0) >= minHeldOut
      ? [{ ...c, reported: c.reported, test: c.test }]
      : [],
  );
  if (usable.length === 0) return undefined;
  const n = usable.length;
  const diffs = usable.map((c) => c.reported - c.test);
  const inside = usable.filter(
    (c) => c.interval !== null && c.interval[0] <= c.test && c.test <= c.interval[1],
  );
  return {
    models: n,
    meanDifference: diffs.reduce((s, d) => s + d, 0) / n,
    meanAbsDifference: diffs.reduce((s, d) => s + Math.abs(d), 0) / n,
    // A hair of slack: 0.81 − 0.78 is 0.030000000000000027 in floating point.
    withinTolerance: diffs.filter((d) => Math.abs(d) <= HONESTY_TOLERANCE + 1e-12).length / n,
    insideInterval: inside.length / n,
  };
}
