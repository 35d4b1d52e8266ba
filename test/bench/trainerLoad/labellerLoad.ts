/**
 * Child process of bench:trainer-load: CLIENTS socket.io labellers of PROJECT loop sample:next →
 * sample:label as fast as acks come for WARMUP_SECONDS + SECONDS. It prints JSON lines: the
 * event "window" when the measured window opens and "window-end" when it closes (the parent
 * reads CPU counters then), and "result" with the figures of the cycles started inside it. In
 * a process of its own so its work does not share the bench's event loop; it does share the
 * machine's cores, so its own event-loop delay is reported beside the latencies.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { z } from 'zod';
import { connectLabeller, request, type LabellerSocket } from './labellerSocket';

const env = z
  .object({
    URL: z.url(),
    PROJECT: z.string().min(1),
    NAME_PREFIX: z.string().min(1),
    CLIENTS: z.coerce.number().int().positive(),
    WARMUP_SECONDS: z.coerce.number().nonnegative(),
    SECONDS: z.coerce.number().positive(),
  })
  .parse(process.env);

const connect = (i: number) => connectLabeller(env.URL, `${env.NAME_PREFIX}-${i}`, env.PROJECT);

const print = (line: object) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}
const r1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const sockets = await Promise.all(Array.from({ length: env.CLIENTS }, (_, i) => connect(i)));
  print({ event: 'connected' });
  const nextMs: number[] = [];
  const labelMs: number[] = [];
  const counts = { labels: 0, empty: 0, errors: 0 };
  const errorCodes = new Map<string, number>();
  const fail = (what: string) => {
    counts.errors++;
    errorCodes.set(what, (errorCodes.get(what) ?? 0) + 1);
  };
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const measureFrom = performance.now() + env.WARMUP_SECONDS * 1000;
  const deadline = measureFrom + env.SECONDS * 1000;
  const opening = setTimeout(() => {
    loopDelay.enable();
    print({ event: 'window' });
  }, env.WARMUP_SECONDS * 1000);
  const closing = setTimeout(
    () => {
      loopDelay.disable();
      print({ event: 'window-end' });
    },
    (env.WARMUP_SECONDS + env.SECONDS) * 1000,
  );

  const loop = async (socket: LabellerSocket): Promise<void> => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= deadline) return;
      const measured = t0 >= measureFrom;
      let next;
      try {
        next = await request(socket, 'sample:next', {});
      } catch {
        if (measured) fail('sample:next ack timed out');
        continue;
      }
      const t1 = performance.now();
      if (measured) nextMs.push(t1 - t0);
      if ('error' in next) {
        if (measured) fail(`sample:next ${next.error.code}`);
        continue;
      }
      const sample = next.data.sample;
      if (!sample) {
        if (measured) counts.empty++;
        continue;
      }
      const value = sample.options[sample.id % sample.options.length] ?? '';
      try {
        const ack = await request(socket, 'sample:label', { sampleId: sample.id, value });
        if (!measured) continue;
        labelMs.push(performance.now() - t1);
        if ('error' in ack) fail(`sample:label ${ack.error.code}`);
        else counts.labels++;
      } catch {
        if (measured) fail('sample:label ack timed out');
      }
    }
  };
  await Promise.all(sockets.map(loop));
  clearTimeout(opening);
  clearTimeout(closing);
  for (const s of sockets) s.close();
  const next = nextMs.sort((a, b) => a - b);
  const label = labelMs.sort((a, b) => a - b);
  print({
    event: 'result',
    seconds: env.SECONDS,
    labels: counts.labels,
    labelsPerSecond: Math.round(counts.labels / env.SECONDS),
    nexts: next.length,
    nextP50: r1(percentile(next, 0.5)),
    nextP95: r1(percentile(next, 0.95)),
    nextP99: r1(percentile(next, 0.99)),
    nextMax: r1(next.at(-1) ?? Number.NaN),
    nextOver50: next.filter((ms) => ms > 50).length,
    labelP50: r1(percentile(label, 0.5)),
    labelP99: r1(percentile(label, 0.99)),
    empty: counts.empty,
    errors: counts.errors,
    errorCodes: Object.fromEntries(errorCodes),
    clientLoopDelayP99: r1(loopDelay.percentile(99) / 1e6),
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
