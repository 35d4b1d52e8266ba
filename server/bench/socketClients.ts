/**
 * Child process of `npm run bench:socket`: opens CLIENTS socket.io connections to URL, then
 * each loops sample:next → sample:label as fast as acks come for WARMUP_SECONDS + SECONDS, and
 * prints one JSON line with the totals of the last SECONDS. Kept in its own process so client work does not share the server's
 * event loop (it still shares the machine's cores).
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Socket } from 'socket.io-client';
import { connectLabellers } from './labellerSockets';
import { runTimedLoops, type Cycle } from './latency';

const env = z
  .object({
    URL: z.url(),
    CLIENTS: z.coerce.number().int().positive(),
    SECONDS: z.coerce.number().positive(),
    WARMUP_SECONDS: z.coerce.number().nonnegative(),
  })
  .parse(process.env);

interface NextAck {
  data?: { sample: { id: number; options: string[] } | null };
}

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
  const result = await runTimedLoops({
    workers: sockets.length,
    warmupSeconds: env.WARMUP_SECONDS,
    seconds: env.SECONDS,
    cycle: (worker) => cycle(sockets[worker] as Socket),
  });
  for (const s of sockets) s.close();
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
