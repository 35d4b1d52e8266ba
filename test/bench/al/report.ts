/** The tables printed at the end: per data set × mode, random vs the system at every budget. */
import { curveAt, labelsToReach, mean, sd, type CurvePoint } from './evaluate';
import type { Mode } from './personas';
import type { Results } from './results';
import { testText } from './reportHonesty';

const pct = (x: number) => (100 * x).toFixed(1);
const pad = (s: string, n: number) => s.padStart(n);

/** Mean over judge initialisations at k, or undefined when the curve stops before k. */
function at(curve: CurvePoint[], k: number): number | undefined {
  const p = curve.find((q) => q.k === k);
  return p ? mean(p.accuracies) : undefined;
}

/** The system's mean curve over seeds, at every k that all seeds reached. */
function meanCurve(curves: CurvePoint[][], numClasses: number): { k: number; acc: number }[] {
  const ks = (curves[0] ?? []).map((p) => p.k);
  const points = [{ k: 0, acc: 1 / numClasses }];
  for (const k of ks) {
    const values = curves.map((c) => at(c, k));
    if (values.some((v) => v === undefined)) break;
    points.push({ k, acc: mean(values as number[]) });
  }
  return points;
}

export function printTable(
  results: Results,
  dataset: string,
  mode: Mode,
  budgets: number[],
  numClasses: number,
): void {
  const k = `${dataset}|${mode}`;
  const random = [...(results.random.get(k)?.values() ?? [])].flat();
  const systemBySeed = results.system.get(k) ?? new Map<number, CurvePoint[]>();
  const system = [...systemBySeed.values()];
  console.log(`\n== ${dataset} × ${mode} — ${results.descriptions.get(dataset) ?? ''}`);
  console.log(
    `   ${system.length} system run(s), ${random.length} random orders in all; judge accuracy on the test set, %; ` +
      `random sd over all random orders, system sd over seeds`,
  );
  console.log(
    `   ${pad('labels', 6)}  ${pad('random', 13)}  ${pad('system', 13)}  ${pad('diff', 6)}`,
  );
  for (const b of budgets) {
    const r = random.map((c) => at(c, b)).filter((v): v is number => v !== undefined);
    const s = system.map((c) => at(c, b)).filter((v): v is number => v !== undefined);
    const rText = r.length ? `${pct(mean(r))} ± ${pct(sd(r))}` : '—';
    const sText = s.length ? `${pct(mean(s))} ± ${pct(sd(s))}` : '—';
    const diff = r.length && s.length ? (100 * (mean(s) - mean(r))).toFixed(1) : '—';
    const signed = diff !== '—' && !diff.startsWith('-') ? `+${diff}` : diff;
    console.log(`   ${pad(String(b), 6)}  ${pad(rText, 13)}  ${pad(sText, 13)}  ${pad(signed, 6)}`);
  }
  const top = budgets.at(-1) ?? 0;
  const target = random.map((c) => at(c, top)).filter((v): v is number => v !== undefined);
  if (target.length && system.length) {
    const goal = mean(target);
    const curve = meanCurve(system, numClasses);
    const need = labelsToReach(curve, goal);
    const text =
      need === undefined
        ? `not reached within ${curve.at(-1)?.k ?? 0} (system reaches ${pct(curve.at(-1)?.acc ?? 0)}%)`
        : `${Math.round(need)} (${(need / top).toFixed(2)} of ${top})`;
    console.log(
      `   labels the system needs to reach random's ${top}-label accuracy (${pct(goal)}%): ${text}`,
    );
  }
  printModels(results, k, numClasses);
}

/** `accuracyInterval [56.6, 100.0]%`: fractions shown as percentages. */
function intervalText(fields: Record<string, unknown>): string {
  const show = (v: unknown): string => {
    if (typeof v === 'number') return v >= 0 && v <= 1 ? pct(v) : String(v);
    if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
    return JSON.stringify(v);
  };
  return Object.entries(fields)
    .map(([name, v]) => `${name} ${show(v)}%`)
    .join(', ');
}

function printModels(results: Results, k: string, numClasses: number): void {
  const bySeed = results.models.get(k);
  const curves = results.system.get(k);
  if (!bySeed || !curves) return;
  for (const [seed, models] of bySeed) {
    const curve = meanCurve([curves.get(seed) ?? []], numClasses);
    console.log(
      `   models the system reported, seed ${seed} (judge at the same label count, interpolated; then the same model on the test set):`,
    );
    if (models.length === 0) console.log('     (none)');
    for (const m of models) {
      const interval = Object.keys(m.interval).length
        ? ` ${intervalText(m.interval)}`
        : ' (no interval field)';
      const judge = curveAt(curve, m.trainedOn);
      const acc = m.accuracy === null ? '—' : `${pct(m.accuracy)}%`;
      const labelsAt =
        m.labelsAtBroadcast === null ? '' : `, broadcast at ${m.labelsAtBroadcast} labels`;
      console.log(
        `     v${m.version}: trainedOn ${m.trainedOn}${labelsAt}: reported ${acc} on ${m.evaluatedOn ?? '?'} held-out${interval}; judge@${m.trainedOn} ${judge === undefined ? '—' : `${pct(judge)}%`}${testText(m)}`,
      );
    }
  }
}

export function printRunSummary(results: Results): void {
  if (results.runs.length) console.log('\n== runs');
  for (const r of results.runs) {
    const waits = r.retrainWaitsMs.length
      ? `, retrain waits ${r.retrainWaitsMs.map((ms) => (ms / 1000).toFixed(1)).join('/')} s`
      : '';
    const problems = [...r.problems].map(([what, n]) => `${what} ×${n}`).join('; ');
    console.log(
      `   ${r.dataset} ${r.mode} seed ${r.seed}: import ${(r.importMs / 1000).toFixed(0)} s, labelling ${(r.labellingMs / 1000).toFixed(0)} s (${r.labels} labels, ${r.models} models${waits}), judging ${(r.judgeMs / 1000).toFixed(0)} s`,
    );
    console.log(`     sample → image via ${r.mapping}`);
    const { checked, identical } = r.poolDecoding;
    console.log(
      `     test images decoded as the orchestrator decodes pool images: ${identical} of ${checked} cached pool features byte-identical`,
    );
    if (problems) console.log(`     problems seen: ${problems}`);
  }
  for (const f of results.failures) console.log(`   FAILED: ${f}`);
}
