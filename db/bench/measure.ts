import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientCpuSince, markClientCpu, type ClientCpuShare } from './clientCpu';

/** What one hand-out + finish cycle reports; `empty` means the queue had nothing to hand out. */
export type CycleOutcome = { handoutMs: number } | 'empty';

/** A seeded system ready to run: one cycle per call, and a way to close its connections. */
export interface PreparedScenario {
  cycle: (worker: number) => Promise<CycleOutcome>;
  close: () => Promise<void>;
}

export interface LevelMetrics {
  concurrency: number;
  windowSeconds: number;
  cycles: number;
  cyclesPerSecond: number;
  handoutP50Ms: number;
  handoutP99Ms: number;
  cycleP50Ms: number;
  cycleP99Ms: number;
  /** The benchmark client's own CPU use and starvation over the window. */
  client: ClientCpuShare;
  /** Completed cycles in each second of the window, to see throughput decay as tuples die. */
  perSecond: number[];
  /** Cycles/s of the last quarter of the window over the first quarter (1 = steady). */
  trend: number;
  /** Hand-outs that found nothing: non-zero means the backlog drained and figures are void. */
  empty: number;
}

/** Nearest-rank percentile of an ascending-sorted array. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function trendOf(perSecond: number[]): number {
  const quarter = Math.max(1, Math.floor(perSecond.length / 4));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const first = sum(perSecond.slice(0, quarter));
  const last = sum(perSecond.slice(-quarter));
  return first === 0 ? Number.NaN : Math.round((last / first) * 100) / 100;
}

/**
 * Closed loop: `concurrency` workers each run `cycle` back to back until the window ends.
 * Only cycles that finish inside the measured window (after the warm-up) count, for throughput
 * and for latency alike, so connection start-up and the ramp do not colour the figures.
 */
export async function runClosedLoop({
  concurrency,
  warmupSeconds,
  seconds,
  cycle,
}: {
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  cycle: (worker: number) => Promise<CycleOutcome>;
}): Promise<LevelMetrics> {
  const start = performance.now();
  const windowStart = start + warmupSeconds * 1000;
  const windowEnd = windowStart + seconds * 1000;
  const handouts: number[] = [];
  const cycles: number[] = [];
  let empty = 0;
  const perSecond = new Array<number>(Math.max(1, Math.ceil(seconds))).fill(0);
  let cpuAtWindowStart = markClientCpu();
  const startCpuClock = setTimeout(() => {
    cpuAtWindowStart = markClientCpu();
  }, warmupSeconds * 1000);

  async function worker(index: number): Promise<void> {
    while (performance.now() < windowEnd) {
      const t0 = performance.now();
      const outcome = await cycle(index);
      const t1 = performance.now();
      if (outcome === 'empty') {
        empty += 1;
        await sleep(5); // a drained queue must not turn into a busy loop
        continue;
      }
      if (t1 < windowStart || t1 > windowEnd) continue;
      handouts.push(outcome.handoutMs);
      cycles.push(t1 - t0);
      const second = Math.min(perSecond.length - 1, Math.floor((t1 - windowStart) / 1000));
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  clearTimeout(startCpuClock);
  const client = clientCpuSince(cpuAtWindowStart);
  const sortedHandouts = Float64Array.from(handouts).sort();
  const sortedCycles = Float64Array.from(cycles).sort();
  return {
    concurrency,
    windowSeconds: seconds,
    cycles: cycles.length,
    cyclesPerSecond: Math.round(cycles.length / seconds),
    handoutP50Ms: round(percentile(sortedHandouts, 0.5)),
    handoutP99Ms: round(percentile(sortedHandouts, 0.99)),
    cycleP50Ms: round(percentile(sortedCycles, 0.5)),
    cycleP99Ms: round(percentile(sortedCycles, 0.99)),
    client,
    perSecond,
    trend: trendOf(perSecond),
    empty,
  };
}

/** Times one awaited call in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}
