/**
 * The report's part for issue #15: each model's reported held-out accuracy against the same
 * model on the test set, and a summary per data set and mode over every seed.
 */
import { HONESTY_TOLERANCE, MIN_HELD_OUT, summarizeHonesty, type HonestySummary } from './honesty';
import type { Mode } from './personas';
import type { ReportedModel, Results } from './results';

const pct = (x: number) => (100 * x).toFixed(1);
const signed = (points: number) => `${points >= 0 ? '+' : ''}${points.toFixed(1)}`;

/** `; test 81.2% (reported − test −1.3)`, appended to a model's line. */
export function testText(m: ReportedModel): string {
  if (!m.test) return '; not tested';
  const { plain, poolMix } = m.test;
  // The plain figure too when the pool's class mix moves it (long-tailed pools).
  const mix =
    Math.abs(plain - poolMix) >= 0.0005 ? ` at the pool's class mix, ${pct(plain)}% plain` : '';
  const diff =
    m.accuracy === null ? '' : ` (reported − test ${signed(100 * (m.accuracy - poolMix))})`;
  return `; same model on the test set ${pct(poolMix)}%${mix}${diff}`;
}

function summaryText(s: HonestySummary | undefined): string {
  if (!s) return 'no model with a reported and a test accuracy';
  return (
    `${s.models} models: mean reported − test ${signed(100 * s.meanDifference)} points, ` +
    `mean |difference| ${(100 * s.meanAbsDifference).toFixed(1)}, ` +
    `within ${100 * HONESTY_TOLERANCE} points ${pct(s.withinTolerance)}%, ` +
    `test inside the reported interval ${pct(s.insideInterval)}%`
  );
}

export interface HonestySummaries {
  all: HonestySummary | undefined;
  reliable: HonestySummary | undefined;
}

/** Prints and returns the summary of one data set and mode, over all its seeds' models. */
export function printHonestySummary(
  results: Results,
  dataset: string,
  mode: Mode,
): HonestySummaries {
  const models = [...(results.models.get(`${dataset}|${mode}`)?.values() ?? [])].flat();
  const checks = models.map((m) => ({
    reported: m.accuracy,
    evaluatedOn: m.evaluatedOn,
    interval: m.accuracyInterval,
    test: m.test?.poolMix ?? null,
  }));
  const all = summarizeHonesty(checks);
  const reliable = summarizeHonesty(checks, MIN_HELD_OUT);
  console.log(`   reported vs test accuracy of the same models (issue #15), ${dataset} × ${mode}:`);
  console.log(`     all: ${summaryText(all)}`);
  console.log(`     ≥ ${MIN_HELD_OUT} held-out labels: ${summaryText(reliable)}`);
  return { all, reliable };
}
