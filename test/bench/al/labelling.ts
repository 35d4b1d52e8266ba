/**
 * The simulated labellers in the three modes. `wait`: one labeller (three in turn for the noisy
 * set) who, after every `retrainEvery` labels, asks for a retrain and waits for the model.
 * `crowd` and `team`: ten labellers, jittered, never waiting, at the pace personas.ts gives.
 * Either way the hand-out order (across labellers) and the label each hand-out got are recorded.
 */
import { answerFor, type BenchDataset } from './datasets';
import {
  CYCLE_MS,
  isNoisyLabeller,
  labellerCount,
  labellerName,
  type LabelledOrder,
  type Mode,
} from './personas';
import { createRng, deriveSeed, uniform } from './rng';
import type { SystemApi } from './system/api';
import type { SampleResolver } from './system/sampleResolver';
import { SimLabeller } from './system/simLabeller';

/** The job route allows 120 requests a minute per client; polling once a second stays under. */
const JOB_POLL_MS = 1_000;

export interface LabellingContext {
  url: string;
  api: SystemApi;
  ds: BenchDataset;
  mode: Mode;
  seed: number;
  maxLabels: number;
  retrainEvery: number;
  modelTimeoutMs: number;
  resolver: SampleResolver;
  progress: (line: string) => void;
}

export interface ModelSeen {
  version: number;
  /** Labels recorded when the broadcast arrived. */
  labels: number;
  atMs: number;
}

export interface Handout {
  sampleId: number;
  poolIndex: number;
  labeller: string;
  given: number;
  /** Wall clock (Date.now()) when the server handed it out. */
  handedAtMs: number;
}

export interface LabellingResult {
  order: LabelledOrder;
  /** The labelled hand-outs in hand-out order (across labellers). */
  handouts: Handout[];
  models: ModelSeen[];
  problems: Map<string, number>;
  /** Wait mode: how long each retrain request took until its job was done. */
  retrainWaitsMs: number[];
  ms: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asks for a retrain and waits until its job is done (or a newer model appears). */
export async function retrainAndWait(
  ctx: Pick<LabellingContext, 'api' | 'modelTimeoutMs'>,
  labels: number,
  problems: Map<string, number>,
) {
  const before = Math.max(0, ...(await ctx.api.models()).map((m) => m.version));
  const jobId = await ctx.api.retrain();
  const deadline = Date.now() + ctx.modelTimeoutMs;
  let state = 'unknown';
  for (;;) {
    const job = await ctx.api.job(jobId);
    if (job) {
      const since = (at: string | null | undefined) =>
        at ? ` for ${Math.round((Date.now() - Date.parse(at)) / 1000)} s` : '';
      state = `${job.status}${since(job.status === 'queued' ? job.createdAt : job.startedAt)}`;
      if (job.status === 'done') return;
      if (job.status === 'failed') {
        const what = `retrain job failed: ${job.error ?? '(no error text)'}`;
        problems.set(what, (problems.get(what) ?? 0) + 1);
        return;
      }
    } else if ((await ctx.api.models()).some((m) => m.version > before)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no model ${ctx.modelTimeoutMs / 1000} s (--model-timeout) after the retrain request at ${labels} labels: job ${jobId} is ${state}`,
      );
    }
    await sleep(JOB_POLL_MS);
  }
}

async function connectAll(ctx: LabellingContext, count: number, problems: Map<string, number>) {
  const labellers: SimLabeller[] = [];
  try {
    for (let i = 0; i < count; i++) {
      labellers.push(
        await SimLabeller.connect(ctx.url, labellerName(i), ctx.api.project, problems),
      );
    }
  } catch (err) {
    for (const l of labellers) l.close();
    throw err;
  }
  return labellers;
}

export async function runLabellers(ctx: LabellingContext): Promise<LabellingResult> {
  const started = performance.now();
  const problems = new Map<string, number>();
  const count = labellerCount(ctx.mode, ctx.ds);
  const labellers = await connectAll(ctx, count, problems);
  const records: (Handout & { seq: number })[] = [];
  const models: ModelSeen[] = [];
  const retrainWaitsMs: number[] = [];
  labellers[0]?.onModelUpdated((version) => {
    models.push({ version, labels: records.length, atMs: performance.now() - started });
  });
  const report = () => {
    if (records.length % 50 === 0) {
      const secs = Math.round((performance.now() - started) / 1000);
      ctx.progress(`${records.length}/${ctx.maxLabels} labels, ${models.length} models, ${secs} s`);
    }
  };
  let handedOut = 0;
  /** One hand-out → look → answer → label cycle. */
  const cycle = async (
    who: number,
    thinkMs: () => number,
  ): Promise<'labelled' | 'refused' | 'empty'> => {
    const labeller = labellers[who];
    if (!labeller) throw new Error(`no labeller ${who}`);
    const sample = await labeller.next();
    if (!sample) {
      const what = 'queue empty before --max-labels';
      problems.set(what, (problems.get(what) ?? 0) + 1);
      return 'empty';
    }
    const seq = handedOut++;
    const handedAtMs = Date.now();
    const shownAt = performance.now();
    const poolIndex = await ctx.resolver.resolve(sample);
    const given = answerFor(ctx.ds, poolIndex, isNoisyLabeller(ctx.mode, ctx.ds, who));
    const value = ctx.ds.classNames[given] ?? '';
    await sleep(Math.max(0, thinkMs() - (performance.now() - shownAt)));
    if (!(await labeller.label(sample.id, value))) return 'refused';
    records.push({
      seq,
      sampleId: sample.id,
      poolIndex,
      labeller: labeller.name,
      given,
      handedAtMs,
    });
    report();
    return 'labelled';
  };
  try {
    if (ctx.mode === 'wait') {
      // The patient labeller also waits for the first (cold-start) order before labelling.
      const t = performance.now();
      await retrainAndWait(ctx, 0, problems);
      retrainWaitsMs.push(performance.now() - t);
      for (let turn = 0; records.length < ctx.maxLabels; turn++) {
        const outcome = await cycle(turn % count, () => 0);
        if (outcome === 'empty') break;
        const n = records.length;
        if (outcome === 'labelled' && n % ctx.retrainEvery === 0 && n < ctx.maxLabels) {
          const t = performance.now();
          await retrainAndWait(ctx, records.length, problems);
          retrainWaitsMs.push(performance.now() - t);
        }
      }
    } else {
      const rng = createRng(deriveSeed(ctx.seed, 31));
      const cycleMs = CYCLE_MS[ctx.mode];
      // A labeller takes a slot before asking, so no more than --max-labels are handed out.
      let reserved = 0;
      await Promise.all(
        labellers.map(async (_, who) => {
          await sleep(uniform(rng, 0, cycleMs));
          while (reserved < ctx.maxLabels) {
            reserved++;
            const outcome = await cycle(who, () => cycleMs * uniform(rng, 0.6, 1.4));
            if (outcome !== 'labelled') reserved--;
            if (outcome === 'empty') break;
          }
        }),
      );
    }
  } finally {
    for (const l of labellers) l.close();
  }
  records.sort((a, b) => a.seq - b.seq);
  return {
    order: { poolIndex: records.map((r) => r.poolIndex), given: records.map((r) => r.given) },
    handouts: records.map(({ seq: _, ...h }) => h),
    models,
    problems,
    retrainWaitsMs,
    ms: performance.now() - started,
  };
}
