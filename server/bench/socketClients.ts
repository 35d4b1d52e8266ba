/**
 * Child process of `npm run bench:socket`: opens CLIENTS socket.io connections to URL, then
 * each loops sample:next → sample:label as fast as acks come for SECONDS, and prints one JSON
 * line with the totals. Kept in its own process so client work does not share the server's
 * event loop (it still shares the machine's cores).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Socket } from 'socket.io-client';
import { connectLabellers } from './labellerSockets';
import { summarise } from './latency';

const env = z
  .object({
    URL: z.url(),
    CLIENTS: z.coerce.number().int().positive(),
    SECONDS: z.coerce.number().positive(),
  })
  .parse(process.env);

interface NextAck {
  data?: { sample: { id: number; options: string[] } | null };
}

type Cycle = { kind: 'labelled' | 'empty' | 'error'; nextMs: number; labelMs?: number };

/** One next → label round of one client, timed. */
async function cycle(socket: Socket): Promise<Cycle> {
  const t0 = performance.now();
  const next = (await socket.emitWithAck('sample:next', {})) as NextAck;
  const nextMs = performance.now() - t0;
  const sample = next.data?.sample;
  if (!sample) return { kind: next.data ? 'empty' : 'error', nextMs };
  const t1 = performance.now();
  const ack = (await socket.emitWithAck('sample:label', {
    sampleId: sample.id,
    value: sample.options[sample.id % sample.options.length],
  })) as { data?: unknown };
  return { kind: ack.data ? 'labelled' : 'error', nextMs, labelMs: performance.now() - t1 };
}

async function main(): Promise<void> {
  const sockets = await connectLabellers(env.URL, env.CLIENTS, 'bench');
  // Warm-up, outside the measurement: one round per client, all at once. The server's first
  // hand-outs wait for its first progress scan and its pools to fill (the slowest of 200 took
  // 250-520 ms), which is the server starting, not its steady state; the direct path is warmed
  // the same way before it is measured. The slowest warm-up hand-out is reported apart.
  const warmup = await Promise.all(sockets.map((socket) => cycle(socket)));
  const warmupNextMaxMs = Math.round(Math.max(...warmup.map((c) => c.nextMs)));
  const nextMs: number[] = [];
  const labelMs: number[] = [];
  let labels = 0;
  let errors = 0;
  let empty = 0;
  const cpuBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const started = performance.now();
  const deadline = started + env.SECONDS * 1000;
  await Promise.all(
    sockets.map(async (socket) => {
      while (performance.now() < deadline) {
        const c = await cycle(socket);
        nextMs.push(c.nextMs);
        if (c.labelMs !== undefined) labelMs.push(c.labelMs);
        if (c.kind === 'labelled') labels++;
        else if (c.kind === 'empty') empty++;
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.close();
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPercent = Math.round((cpu.user + cpu.system) / 1e4 / seconds);
  const summary = summarise({ nextMs, labelMs, labels, seconds, errors, empty });
  loopDelay.disable();
  const loopDelayP99Ms = Math.round(loopDelay.percentile(99) / 1e6);
  console.log(JSON.stringify({ ...summary, cpuPercent, loopDelayP99Ms, warmupNextMaxMs }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
