/**
 * Child process of `npm run bench:socket`: opens CLIENTS socket.io connections to URL, then
 * each loops sample:next → sample:label as fast as acks come for WARMUP_SECONDS + SECONDS
 * (holding AHEAD samples fetched ahead), and prints one JSON line with the totals of the last
 * SECONDS. Kept in its own process so client work does not share the server's event loop (it
 * still shares the machine's cores).
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
    AHEAD: z.coerce.number().int().nonnegative().default(0),
  })
  .parse(process.env);

interface Sample {
  id: number;
  options: string[];
}
interface NextAck {
  data?: { sample: Sample | null };
}

/**
 * One next → label round of one client, timed. With AHEAD = n the client holds n samples
 * fetched ahead, as the labelling page holds one: it labels the oldest it holds.
 */
async function cycle(socket: Socket, held: Sample[]): Promise<Cycle> {
  const t0 = performance.now();
  const next = (await socket.emitWithAck('sample:next', {})) as NextAck;
  const nextMs = performance.now() - t0;
  const fresh = next.data?.sample;
  if (!fresh) return { kind: next.data ? 'empty' : 'error', nextMs };
  held.push(fresh);
  const sample = held.shift() as Sample;
  const t1 = performance.now();
  const ack = (await socket.emitWithAck('sample:label', {
    sampleId: sample.id,
    value: sample.options[sample.id % sample.options.length],
  })) as { data?: unknown };
  return { kind: ack.data ? 'labelled' : 'error', nextMs, labelMs: performance.now() - t1 };
}

async function main(): Promise<void> {
  const sockets = await connectLabellers(env.URL, env.CLIENTS, 'bench');
  const held = await Promise.all(
    sockets.map(async (socket) => {
      const samples: Sample[] = [];
      for (let i = 0; i < env.AHEAD; i++) {
        const next = (await socket.emitWithAck('sample:next', {})) as NextAck;
        if (next.data?.sample) samples.push(next.data.sample);
      }
      return samples;
    }),
  );
  const result = await runTimedLoops({
    workers: sockets.length,
    warmupSeconds: env.WARMUP_SECONDS,
    seconds: env.SECONDS,
    cycle: (worker) => cycle(sockets[worker] as Socket, held[worker] as Sample[]),
  });
  for (const s of sockets) s.close();
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
