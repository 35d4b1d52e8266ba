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
  cpuPercent?: number;
  /** The measuring process's event-loop delay p99: time an ack waited for its own client. */
  loopDelayP99Ms?: number;
  /** The slowest first hand-out of the warm-up round, which the figures above leave out. */
  warmupNextMaxMs?: number;
}

export function summarise(run: {
  nextMs: number[];
  labelMs: number[];
  labels: number;
  seconds: number;
  errors: number;
  empty: number;
}): LoopResult {
  const next = [...run.nextMs].sort((a, b) => a - b);
  const label = [...run.labelMs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    labels: run.labels,
    seconds: r(run.seconds),
    labelsPerSecond: Math.round(run.labels / run.seconds),
    nextP50Ms: r(percentile(next, 0.5)),
    nextP99Ms: r(percentile(next, 0.99)),
    labelP50Ms: r(percentile(label, 0.5)),
    labelP99Ms: r(percentile(label, 0.99)),
    errors: run.errors,
    empty: run.empty,
  };
}
