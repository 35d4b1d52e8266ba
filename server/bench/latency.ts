import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** Nearest-rank percentile of an ascending-sorted array, in the array's unit. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export interface LoopResult {
  labels: number;
  seconds: number;
  labelsPerSecond: number;
  nextP50Ms: number;
  nextP99Ms: number;
  /** The label ack's latency: work moved from hand-out into labelling would show here. */
  labelP50Ms: number;
  labelP99Ms: number;
  errors: number;
  empty: number;
  /** CPU time of the measuring process over the window, % of one core. */
  cpuPercent: number;
  /** The measuring process's event-loop delay p99: time an ack waited for its own client. */
  loopDelayP99Ms: number;
  /** The slowest hand-out of the warm-up, which the figures above leave out. */
  warmupNextMaxMs: number;
}

/** One next → label round of one worker, timed. */
export interface Cycle {
  kind: 'labelled' | 'empty' | 'error';
  nextMs: number;
  labelMs?: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Runs `workers` loops of `cycle` at once for `warmupSeconds` and then `seconds`, and sums up
 * the cycles that started after the warm-up. The loops run straight through the warm-up, so
 * the window opens on workers already out of step with each other, as labellers are. (With a
 * barrier instead, all 200 workers asked at the same instant when the window opened: that one
 * herd was up to 90% of the window's sample:next calls over 25 ms.) The warm-up also covers
 * each path's first hand-outs, which wait for pools to fill and the first progress scan.
 */
export async function runTimedLoops(opts: {
  workers: number;
  warmupSeconds: number;
  seconds: number;
  cycle: (worker: number) => Promise<Cycle>;
}): Promise<LoopResult> {
  const nextMs: number[] = [];
  const labelMs: number[] = [];
  let labels = 0;
  let errors = 0;
  let empty = 0;
  let warmupNextMaxMs = 0;
  const measureFrom = performance.now() + opts.warmupSeconds * 1000;
  const deadline = measureFrom + opts.seconds * 1000;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  let cpuBefore = process.cpuUsage();
  const opening = setTimeout(
    () => {
      cpuBefore = process.cpuUsage();
      loopDelay.enable();
    },
    Math.max(0, measureFrom - performance.now()),
  );
  await Promise.all(
    Array.from({ length: opts.workers }, async (_, worker) => {
      for (;;) {
        const startedAt = performance.now();
        if (startedAt >= deadline) return;
        const c = await opts.cycle(worker);
        if (startedAt < measureFrom) {
          warmupNextMaxMs = Math.max(warmupNextMaxMs, c.nextMs);
          continue;
        }
        nextMs.push(c.nextMs);
        if (c.labelMs !== undefined) labelMs.push(c.labelMs);
        if (c.kind === 'labelled') labels++;
        else if (c.kind === 'empty') empty++;
        else errors++;
      }
    }),
  );
  clearTimeout(opening);
  loopDelay.disable();
  const seconds = (performance.now() - measureFrom) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const next = nextMs.sort((a, b) => a - b);
  const label = labelMs.sort((a, b) => a - b);
  return {
    labels,
    seconds: round2(seconds),
    labelsPerSecond: Math.round(labels / seconds),
    nextP50Ms: round2(percentile(next, 0.5)),
    nextP99Ms: round2(percentile(next, 0.99)),
    labelP50Ms: round2(percentile(label, 0.5)),
    labelP99Ms: round2(percentile(label, 0.99)),
    errors,
    empty,
    cpuPercent: Math.round((cpu.user + cpu.system) / 1e4 / seconds),
    loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
    warmupNextMaxMs: Math.round(warmupNextMaxMs),
  };
}
