/** What bench:trainer-load prints: each phase's figures, the retrains, the comparison. */
import { z } from 'zod';
import type { ModelList, RetrainJob } from '@al/contract';
import type { PhaseResult } from './phase';
import { busySeconds } from './retrainLoop';

/** The issue's goal: p99 sample:next with the trainer busy. */
export const GOAL_P99_MS = 50;

const DurationsSchema = z.record(z.string(), z.number());

export function printPhase(p: PhaseResult): void {
  const l = p.load;
  const c = p.cpu;
  console.log(
    `   labels/s ${l.labelsPerSecond} (${l.labels} in ${l.seconds} s) | sample:next p50 ${l.nextP50}  p95 ${l.nextP95}  p99 ${l.nextP99}  max ${l.nextMax} ms (${l.nextOver50} of ${l.nexts} over 50 ms) | label ack p50 ${l.labelP50}  p99 ${l.labelP99} ms`,
  );
  const errors = Object.entries(l.errorCodes).map(([code, n]) => `${code} ×${n}`);
  console.log(
    `   errors ${l.errors}${errors.length ? ` (${errors.join(', ')})` : ''}, empty hand-outs ${l.empty}, client event-loop delay p99 ${l.clientLoopDelayP99} ms`,
  );
  console.log(
    `   CPU in % of one core: server ${c.server}, orchestrator ${c.orchestrator}, postgres ${c.postgres}, labeller clients ${c.clients}, bench ${c.bench}; whole machine ${c.machine} of 200, of which not ours ${c.others}`,
  );
}

/** The jobs that finished inside the window, with their model's phase durations. */
export function describeRetrains(p: PhaseResult, jobs: RetrainJob[], models: ModelList): string[] {
  const inWindow = jobs.filter((j) => {
    const end = j.finishedAt === null ? Number.NaN : Date.parse(j.finishedAt);
    return end >= p.windowFrom && end <= p.windowTo;
  });
  const windowSeconds = (p.windowTo - p.windowFrom) / 1000;
  const busy = busySeconds(jobs, p.windowFrom, p.windowTo);
  const lines = [
    `   retrains: ${jobs.length} asked for, ${inWindow.length} finished inside the window (${inWindow.filter((j) => j.status === 'failed').length} failed); a job was running ${busy.toFixed(1)} of ${windowSeconds.toFixed(1)} s (${Math.round((100 * busy) / windowSeconds)}%)`,
  ];
  for (const job of jobs) {
    const end = job.finishedAt === null ? Number.NaN : Date.parse(job.finishedAt);
    const took =
      job.startedAt && job.finishedAt
        ? `${((end - Date.parse(job.startedAt)) / 1000).toFixed(1)} s${end > p.windowTo ? ', finished after the window' : ''}`
        : 'unfinished';
    const model = models.find((m) => m.version === job.modelVersion);
    const parsed = DurationsSchema.safeParse(model?.metrics.durationsMs);
    const phases = parsed.success
      ? Object.entries(parsed.data)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '';
    const trained = model ? `, model v${model.version} on ${model.trainedOn} labels` : '';
    lines.push(
      `     job ${job.jobId}: ${job.status}, ${took}${trained}${phases ? ` (ms: ${phases})` : ''}${job.error ? ` error: ${job.error}` : ''}`,
    );
  }
  return lines;
}

const loadOf = (uptime: string) => /load average:\s*(.*)$/.exec(uptime)?.[1] ?? uptime;
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');

export function printSummary(opts: {
  mode: string;
  niceness: string;
  backend: string;
  alone: PhaseResult;
  busy: PhaseResult;
  retrainLines: string[];
  problems: Map<string, number>;
}): void {
  const { alone, busy } = opts;
  console.log(
    `\n== summary: orchestrator ${opts.mode}, ${opts.niceness}, TF backend ${opts.backend}`,
  );
  console.log(
    '   phase                 load avg (before)   labels/s  next p50    p95    p99    max  label p50   p99  CPU srv orch  pg  cli others',
  );
  for (const p of [alone, busy]) {
    const l = p.load;
    const c = p.cpu;
    const cols = [
      l.labelsPerSecond,
      l.nextP50,
      l.nextP95,
      l.nextP99,
      l.nextMax,
      l.labelP50,
      l.labelP99,
    ];
    const cpu = [c.server, c.orchestrator, c.postgres, c.clients, c.others];
    console.log(
      `   ${p.name.padEnd(21)} ${loadOf(p.uptime).padEnd(19)} ${cols.map((v) => String(v).padStart(8)).join(' ')}     ${cpu.map((v) => String(v).padStart(4)).join('')}`,
    );
  }
  console.log(
    `   trainer busy / alone: labels/s ×${ratio(busy.load.labelsPerSecond, alone.load.labelsPerSecond)}, next p50 ×${ratio(busy.load.nextP50, alone.load.nextP50)}, p95 ×${ratio(busy.load.nextP95, alone.load.nextP95)}, p99 ×${ratio(busy.load.nextP99, alone.load.nextP99)}, label ack p99 ×${ratio(busy.load.labelP99, alone.load.labelP99)}`,
  );
  for (const line of opts.retrainLines) console.log(line);
  const met = busy.load.nextP99 <= GOAL_P99_MS;
  console.log(
    `   goal (issue 15): p99 sample:next ≤ ${GOAL_P99_MS} ms with the trainer busy: ${busy.load.nextP99} ms, ${met ? 'met' : 'NOT met'} in this run (nothing is asserted)`,
  );
  if (opts.problems.size > 0) {
    console.log('   warnings/errors logged by server and orchestrator:');
    for (const [message, n] of opts.problems) console.log(`     ${n} × ${message}`);
  }
}
