import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SystemName } from './args';
import type { LevelMetrics } from './measure';
import type { WaitShare } from './waitSampler';

export interface LevelResult extends LevelMetrics {
  system: SystemName;
  items: number;
  waits: WaitShare[];
  /** 1-minute load average when the level started: the machine is shared, so noise shows here. */
  loadAvgAtStart: number;
}

export interface LevelRatio {
  concurrency: number;
  /** Our cycles/s divided by pg-boss's; the goal is at least 2. */
  throughputRatio: number;
}

/** The goal of issue 2: ours at least 2x pg-boss, and p99 hand-out under 20 ms at 64 connections. */
export const GOAL = { minRatio: 2, handoutP99MsAt64: 20 } as const;

export function ratios(results: LevelResult[]): LevelRatio[] {
  const levels = [...new Set(results.map((r) => r.concurrency))];
  return levels.flatMap((concurrency) => {
    const ours = results.find((r) => r.system === 'ours' && r.concurrency === concurrency);
    const boss = results.find((r) => r.system === 'pg-boss' && r.concurrency === concurrency);
    if (!ours || !boss || boss.cyclesPerSecond === 0) return [];
    const throughputRatio = Math.round((ours.cyclesPerSecond / boss.cyclesPerSecond) * 100) / 100;
    return [{ concurrency, throughputRatio }];
  });
}

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

export function printTable(results: LevelResult[], levelRatios: LevelRatio[]): void {
  console.log(
    `${'system'.padEnd(8)} ${pad('conns', 5)} ${pad('cycles/s', 9)} ${pad('hand p50', 9)} ${pad('hand p99', 9)} ${pad('cyc p50', 8)} ${pad('cyc p99', 8)} ${pad('trend', 5)} ${pad('node cpu/wait%', 14)} ${pad('load', 5)}  top backend states (avg backends)`,
  );
  for (const r of results) {
    const waits = r.waits.map((w) => `${w.state} ${w.backends}`).join(', ');
    const drained = r.empty > 0 ? `  DRAINED (${r.empty} empty hand-outs: raise --items)` : '';
    console.log(
      `${r.system.padEnd(8)} ${pad(r.concurrency, 5)} ${pad(r.cyclesPerSecond, 9)} ${pad(r.handoutP50Ms, 9)} ${pad(r.handoutP99Ms, 9)} ${pad(r.cycleP50Ms, 8)} ${pad(r.cycleP99Ms, 8)} ${pad(r.trend, 5)} ${pad(`${r.client.cpuPercent}/${r.client.runQueuePercent}`, 14)} ${pad(r.loadAvgAtStart.toFixed(1), 5)}  ${waits}${drained}`,
    );
  }
  for (const ratio of levelRatios) {
    const verdict = ratio.throughputRatio >= GOAL.minRatio ? 'meets' : 'misses';
    console.log(
      `ours/pg-boss at ${ratio.concurrency} connections: ${ratio.throughputRatio}x (${verdict} the ${GOAL.minRatio}x goal)`,
    );
  }
  const ours64 = results.find((r) => r.system === 'ours' && r.concurrency === 64);
  if (ours64) {
    const verdict = ours64.handoutP99Ms < GOAL.handoutP99MsAt64 ? 'meets' : 'misses';
    console.log(
      `our p99 hand-out at 64 connections: ${ours64.handoutP99Ms} ms (${verdict} the < ${GOAL.handoutP99MsAt64} ms goal)`,
    );
  }
}

/** Writes the run to bench-results/queue-<timestamp>.json (gitignored) and returns the path. */
export async function writeJson(report: object): Promise<string> {
  const dir = path.resolve('bench-results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `queue-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
