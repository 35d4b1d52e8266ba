import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

interface ClientCpuMark {
  at: number;
  cpu: NodeJS.CpuUsage;
  /** Nanoseconds the main (event-loop) thread spent runnable but waiting for a core; Linux only. */
  runQueueNs: number;
}

export interface ClientCpuShare {
  /** CPU time of this process, in % of one core: near 100 means the client is the bottleneck. */
  cpuPercent: number;
  /**
   * Time the event-loop thread was ready to run but had no core, in % of the window: on a
   * shared machine the client can be starved (and leave backends idle in transaction) while
   * its own CPU share looks low.
   */
  runQueuePercent: number;
}

function runQueueNs(): number {
  try {
    // /proc/self/schedstat: "<ns on cpu> <ns waiting on a run queue> <timeslices>"
    const [, waiting] = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/);
    return Number(waiting);
  } catch {
    return Number.NaN;
  }
}

export function markClientCpu(): ClientCpuMark {
  return { at: performance.now(), cpu: process.cpuUsage(), runQueueNs: runQueueNs() };
}

export function clientCpuSince(mark: ClientCpuMark): ClientCpuShare {
  const wallMs = performance.now() - mark.at;
  const cpu = process.cpuUsage(mark.cpu);
  return {
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
    runQueuePercent: Math.round(((runQueueNs() - mark.runQueueNs) / 1e6 / wallMs) * 100),
  };
}
