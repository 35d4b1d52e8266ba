import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { percentile } from './latency';

interface NextAck {
  data?: { sample: { id: number; options: string[] } | null };
}

export interface WindowCounts {
  labels: number;
  errors: number;
  empty: number;
  nextMs: number[];
}

const fresh = (): WindowCounts => ({ labels: 0, errors: 0, empty: 0, nextMs: [] });

/**
 * Every socket loops sample:next → sample:label as fast as acks come until `deadline`;
 * `take()` hands over the counts since the last call, so the caller can cut windows.
 */
export function runLabellers(sockets: Socket[], deadline: number) {
  let current = fresh();
  const done = Promise.all(
    sockets.map(async (socket) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const next = (await socket.emitWithAck('sample:next', {})) as NextAck;
        current.nextMs.push(performance.now() - t0);
        const sample = next.data?.sample;
        if (!sample) {
          if (next.data) current.empty++;
          else current.errors++;
          continue;
        }
        const ack = (await socket.emitWithAck('sample:label', {
          sampleId: sample.id,
          value: sample.options[sample.id % sample.options.length],
        })) as { data?: unknown };
        if (ack.data) current.labels++;
        else current.errors++;
      }
    }),
  );
  return {
    done,
    take(): WindowCounts {
      const taken = current;
      current = fresh();
      return taken;
    },
  };
}

export function nextLatency(counts: WindowCounts): { p50: number; p99: number } {
  const sorted = [...counts.nextMs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50: r(percentile(sorted, 0.5)), p99: r(percentile(sorted, 0.99)) };
}
