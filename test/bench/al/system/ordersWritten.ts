/**
 * When the system wrote its queue orders, read from the server's and orchestrator's JSON log:
 * how many labels a crowd gave before the first chosen order reached the queue.
 */
import type { Handout } from '../labelling';

export interface OrderWritten {
  /** Wall clock of the log line. */
  atMs: number;
  kind: 'cold-start' | 'model';
  /** Samples whose priority it set. */
  written: number;
}

const MESSAGES: Record<string, OrderWritten['kind']> = {
  'cold-start order written': 'cold-start',
  'model trained and queue reordered': 'model',
};

export function ordersWritten(lines: readonly string[]): OrderWritten[] {
  const out: OrderWritten[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; time?: number; written?: number };
      const kind = entry.msg === undefined ? undefined : MESSAGES[entry.msg];
      if (kind && typeof entry.time === 'number') {
        out.push({ atMs: entry.time, kind, written: entry.written ?? 0 });
      }
    } catch {
      // Not a JSON log line.
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** "+2.1 s cold-start 1000, +8.0 s cold-start 4000; 31 labels handed out before the first". */
export function describeOrders(orders: OrderWritten[], handouts: readonly Handout[]): string {
  const start = Math.min(...handouts.map((h) => h.handedAtMs));
  if (!Number.isFinite(start)) return 'no hand-outs';
  const when = orders
    .slice(0, 6)
    .map((o) => `${((o.atMs - start) / 1000).toFixed(1)} s ${o.kind} ${o.written}`)
    .join(', ');
  const first = orders[0]?.atMs ?? Infinity;
  const before = handouts.filter((h) => h.handedAtMs < first).length;
  return `orders written (from the first hand-out): ${when || 'none'}${orders.length > 6 ? ', …' : ''}; ${before} of ${handouts.length} labels handed out before the first`;
}
