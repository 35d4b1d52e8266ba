/**
 * When the system wrote its queue orders, read from the server's and orchestrator's JSON log:
 * how many labels a crowd gave before the first chosen order reached the queue, and where the
 * time until then went (orchestrator start-up, then the first order's phases).
 */
import type { Handout } from '../labelling';

export interface OrderWritten {
  /** Wall clock of the log line. */
  atMs: number;
  kind: 'cold-start' | 'model';
  /** Samples whose priority it set. */
  written: number;
  /** The retrain's phases, as logged. */
  durationsMs: Record<string, number>;
  /** Of them, time the trainer paused for busy labellers. */
  pausedMs?: number;
  /** A model's: training labels, agreement with the previous model, uncertainty's exponent. */
  labelledCount?: number;
  agreement?: number | null;
  uncertaintyStrength?: number;
}

export interface SystemTimeline {
  /** Wall clock of the orchestrator's "orchestrator running" line (its job loop started). */
  orchestratorUpAtMs?: number;
  orders: OrderWritten[];
}

const MESSAGES: Record<string, OrderWritten['kind']> = {
  'cold-start order written': 'cold-start',
  'model trained and queue reordered': 'model',
};

const ORCHESTRATOR_UP = 'orchestrator running';

interface LogEntry {
  msg?: string;
  time?: number;
  written?: number;
  durationsMs?: Record<string, number>;
  pausedMs?: number;
  labelledCount?: number;
  agreement?: number | null;
  uncertaintyStrength?: number;
}

export function ordersWritten(lines: readonly string[]): SystemTimeline {
  const timeline: SystemTimeline = { orders: [] };
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let entry: LogEntry;
    try {
      entry = JSON.parse(line) as LogEntry;
    } catch {
      continue; // not a JSON log line
    }
    if (typeof entry.time !== 'number') continue;
    if (entry.msg === ORCHESTRATOR_UP) timeline.orchestratorUpAtMs ??= entry.time;
    const kind = entry.msg === undefined ? undefined : MESSAGES[entry.msg];
    if (kind) {
      timeline.orders.push({
        atMs: entry.time,
        kind,
        written: entry.written ?? 0,
        durationsMs: entry.durationsMs ?? {},
        pausedMs: entry.pausedMs,
        labelledCount: entry.labelledCount,
        agreement: entry.agreement,
        uncertaintyStrength: entry.uncertaintyStrength,
      });
    }
  }
  timeline.orders.sort((a, b) => a.atMs - b.atMs);
  return timeline;
}

const phasesOf = (order: OrderWritten | undefined) =>
  [
    ...Object.entries(order?.durationsMs ?? {}).map(([phase, ms]) => `${phase} ${ms} ms`),
    ...(order?.pausedMs ? [`of which paused for labellers ${order.pausedMs} ms`] : []),
  ].join(', ');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * "orchestrator up at -0.4 s; orders written (from the first hand-out): 2.1 s cold-start 1000,
 * 8.0 s cold-start 4000; 31 of 600 labels handed out before the first (its phases: …)".
 */
export function describeOrders(timeline: SystemTimeline, handouts: readonly Handout[]): string {
  const { orders, orchestratorUpAtMs } = timeline;
  const start = Math.min(...handouts.map((h) => h.handedAtMs));
  if (!Number.isFinite(start)) return 'no hand-outs';
  const up =
    orchestratorUpAtMs === undefined
      ? 'orchestrator start not logged'
      : `orchestrator up at ${seconds(orchestratorUpAtMs - start)}`;
  // An order of an empty pool (a job that ran before the import's first chunk) orders nothing.
  const firstOrder = orders.find((o) => o.written > 0);
  const phases = phasesOf(firstOrder);
  const when = orders
    .slice(0, 6)
    .map((o) => `${seconds(o.atMs - start)} ${o.kind} ${o.written}`)
    .join(', ');
  const first = firstOrder?.atMs ?? Infinity;
  const before = handouts.filter((h) => h.handedAtMs < first).length;
  return `${up}; orders written (from the first hand-out): ${when || 'none'}${orders.length > 6 ? ', …' : ''}; ${before} of ${handouts.length} labels handed out before the first${phases ? ` (its phases: ${phases})` : ''}`;
}

/** "models (training labels: agreement/uncertainty exponent): 45:-/0.00 90:0.85/0.27 …". */
export function describeModels(timeline: SystemTimeline): string {
  const models = timeline.orders.filter((o) => o.kind === 'model');
  if (models.length === 0) return 'no models';
  const fixed = (x: number | null | undefined) => (typeof x === 'number' ? x.toFixed(2) : '-');
  const each = models.map(
    (m) => `${m.labelledCount ?? '?'}:${fixed(m.agreement)}/${fixed(m.uncertaintyStrength)}`,
  );
  // A crowd's lag is the whole cycle of every model, not only the first one's.
  const cycles = models.map((m) => {
    const total = Object.values(m.durationsMs).reduce((a, b) => a + b, 0);
    const training = (m.durationsMs.training ?? 0) + (m.durationsMs.scorerTraining ?? 0);
    return `${seconds(total)}/${seconds(training)}/${seconds(m.pausedMs ?? 0)}`;
  });
  return `models (training labels: agreement/uncertainty exponent): ${each.join(' ')}; cycle/training/paused: ${cycles.join(' ')}; the first one's phases: ${phasesOf(models[0])}`;
}
