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
  errors: number;
  empty: number;
  /** CPU time of the measuring process over the window, % of one core. */
  cpuPercent?: number;
}

export function summarise(
  nextMs: number[],
  labels: number,
  seconds: number,
  errors: number,
  empty: number,
): LoopResult {
  const sorted = [...nextMs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    labels,
    seconds: r(seconds),
    labelsPerSecond: Math.round(labels / seconds),
    nextP50Ms: r(percentile(sorted, 0.5)),
    nextP99Ms: r(percentile(sorted, 0.99)),
    errors,
    empty,
  };
}
