/**
 * Every measurement of the bench: judge accuracies of system and random orders, the models the
 * system reported, and the runs themselves. Appended to the CSV as they arrive, so a run that
 * is stopped half-way still leaves its numbers behind.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CurvePoint } from './evaluate';
import type { HonestySummary } from './honesty';
import type { Handout } from './labelling';
import type { ModelTestAccuracy, PoolDecodingCheck } from './modelsOnTestSet';
import type { Mode } from './personas';
import type { ModelInfo } from './system/api';

export interface ReportedModel {
  version: number;
  trainedOn: number;
  accuracy: number | null;
  evaluatedOn: number | null;
  /** Any interval-like fields of the metrics (none → empty). */
  interval: Record<string, unknown>;
  /** metrics.accuracyInterval, the reported 95% Wilson interval, when it has that shape. */
  accuracyInterval: [number, number] | null;
  /** The same model on the test set (modelsOnTestSet.ts); null until or unless evaluated. */
  test: Omit<ModelTestAccuracy, 'version'> | null;
  /** The retrain's phase durations as the orchestrator reported them (CSV only). */
  durationsMs: unknown;
  /** Labels the simulated labellers had given when its broadcast arrived. */
  labelsAtBroadcast: number | null;
}

export interface RunInfo {
  dataset: string;
  mode: Mode;
  seed: number;
  importMs: number;
  labellingMs: number;
  judgeMs: number;
  labels: number;
  models: number;
  retrainWaitsMs: number[];
  problems: Map<string, number>;
  mapping: string;
  poolDecoding: PoolDecodingCheck;
}

// Columns after `extra` were added later: new columns go at the end, so old readers still work.
const CSV_COLUMNS = [
  'kind',
  'dataset',
  'mode',
  'seed',
  'order',
  'k',
  'judge_seed',
  'accuracy',
  'model_version',
  'trained_on',
  'reported_accuracy',
  'extra',
  // kind=model: the reported held-out count and Wilson interval, the same model on the test
  // set (plain, and weighted to the pool's class mix), and reported − pool-mix test accuracy.
  'held_out',
  'interval_low',
  'interval_high',
  'test_accuracy',
  'test_accuracy_pool_mix',
  'reported_minus_test',
];
const CSV_HEADER = CSV_COLUMNS.join(',') + '\n';

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportedModel(m: ModelInfo, labelsAtBroadcast: number | null): ReportedModel {
  const metrics = m.metrics ?? {};
  const interval = Object.fromEntries(
    Object.entries(metrics).filter(([key]) =>
      /interval|ci$|ci95|lower|upper|wilson|low$|high$/i.test(key),
    ),
  );
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const wilson = z.tuple([z.number(), z.number()]).safeParse(metrics.accuracyInterval);
  return {
    version: m.version,
    trainedOn: m.trainedOn,
    accuracy: num(metrics.accuracy),
    evaluatedOn: num(metrics.evaluatedOn),
    interval,
    accuracyInterval: wilson.success ? wilson.data : null,
    test: null,
    durationsMs: metrics.durationsMs ?? null,
    labelsAtBroadcast,
  };
}

const key = (dataset: string, mode: Mode) => `${dataset}|${mode}`;

export class Results {
  /** dataset|mode → seed → curve of the system's order. */
  readonly system = new Map<string, Map<number, CurvePoint[]>>();
  /** dataset|mode → seed → one curve per random order. */
  readonly random = new Map<string, Map<number, CurvePoint[][]>>();
  readonly models = new Map<string, Map<number, ReportedModel[]>>();
  readonly runs: RunInfo[] = [];
  readonly failures: string[] = [];
  readonly descriptions = new Map<string, string>();

  constructor(readonly csvPath: string) {
    mkdirSync(path.dirname(csvPath), { recursive: true });
    writeFileSync(csvPath, CSV_HEADER);
  }

  /** One row, padded to every column so that each row has as many fields as the header. */
  private csv(fields: (string | number | null | undefined)[]): void {
    const row = [...fields, ...new Array<null>(Math.max(0, CSV_COLUMNS.length - fields.length))];
    appendFileSync(this.csvPath, row.map(csvField).join(',') + '\n');
  }

  /** A row of the first five columns and `extra`, as run and summary rows are. */
  private extraRow(head: [string, string, string, number | null, string], extra: string): void {
    this.csv([...head, null, null, null, null, null, null, extra]);
  }

  private judgeRows(
    dataset: string,
    mode: string,
    seed: number,
    order: string,
    curve: CurvePoint[],
  ) {
    for (const p of curve) {
      p.accuracies.forEach((acc, j) => {
        this.csv(['judge', dataset, mode, seed, order, p.k, j, acc.toFixed(4)]);
      });
    }
  }

  addRandom(dataset: string, modes: Mode[], seed: number, curves: CurvePoint[][]): void {
    for (const mode of modes) {
      const bySeed = this.random.get(key(dataset, mode)) ?? new Map<number, CurvePoint[][]>();
      bySeed.set(seed, curves);
      this.random.set(key(dataset, mode), bySeed);
    }
    curves.forEach((curve, r) => {
      this.judgeRows(dataset, modes.join('+'), seed, `random-${r + 1}`, curve);
    });
  }

  /** The system's hand-out order: position, sample id, pool image, labeller, answer, truth. */
  addHandouts(
    run: Pick<RunInfo, 'dataset' | 'mode' | 'seed'>,
    handouts: Handout[],
    truth: Int32Array,
  ) {
    handouts.forEach((h, position) => {
      const extra = {
        sampleId: h.sampleId,
        poolIndex: h.poolIndex,
        labeller: h.labeller,
        given: h.given,
        truth: truth[h.poolIndex],
      };
      this.csv([
        'handout',
        run.dataset,
        run.mode,
        run.seed,
        'system',
        position + 1,
        null,
        null,
        null,
        null,
        null,
        JSON.stringify(extra),
      ]);
    });
  }

  addSystem(run: RunInfo, curve: CurvePoint[], models: ReportedModel[]): void {
    const k = key(run.dataset, run.mode);
    const curves = this.system.get(k) ?? new Map<number, CurvePoint[]>();
    curves.set(run.seed, curve);
    this.system.set(k, curves);
    const reported = this.models.get(k) ?? new Map<number, ReportedModel[]>();
    reported.set(run.seed, models);
    this.models.set(k, reported);
    this.runs.push(run);
    this.judgeRows(run.dataset, run.mode, run.seed, 'system', curve);
    for (const m of models) {
      const extra = {
        evaluatedOn: m.evaluatedOn,
        labelsAtBroadcast: m.labelsAtBroadcast,
        ...m.interval,
        durationsMs: m.durationsMs,
      };
      this.csv([
        'model',
        run.dataset,
        run.mode,
        run.seed,
        'system',
        null,
        null,
        null,
        m.version,
        m.trainedOn,
        m.accuracy,
        JSON.stringify(extra),
        m.evaluatedOn,
        m.accuracyInterval?.[0],
        m.accuracyInterval?.[1],
        m.test?.plain.toFixed(4),
        m.test?.poolMix.toFixed(4),
        m.accuracy === null || !m.test ? null : (m.accuracy - m.test.poolMix).toFixed(4),
      ]);
    }
    const extra = {
      importMs: Math.round(run.importMs),
      labellingMs: Math.round(run.labellingMs),
      judgeMs: Math.round(run.judgeMs),
      labels: run.labels,
      models: run.models,
      retrainWaitsMs: run.retrainWaitsMs.map(Math.round),
      problems: Object.fromEntries(run.problems),
      mapping: run.mapping,
      poolDecoding: run.poolDecoding,
    };
    this.extraRow(['run', run.dataset, run.mode, run.seed, 'system'], JSON.stringify(extra));
  }

  /**
   * Issue #15's summary of one data set and mode over its seeds: every model, and those with at
   * least `minHeldOut` held-out labels (`order` says which).
   */
  addHonestySummary(
    dataset: string,
    mode: Mode,
    minHeldOut: number,
    summary: HonestySummary | undefined,
  ): void {
    const order = minHeldOut > 0 ? `held-out>=${minHeldOut}` : 'all';
    this.extraRow(['honesty', dataset, mode, null, order], JSON.stringify(summary ?? null));
  }

  addFailure(what: string): void {
    this.failures.push(what);
    this.csv(['failure', null, null, null, null, null, null, null, null, null, null, what]);
  }
}
