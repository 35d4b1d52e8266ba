/**
 * Child process of `npm run bench:socket`: opens CLIENTS socket.io connections to URL, then
 * each loops sample:next → sample:label as fast as acks come for SECONDS, and prints one JSON
 * line with the totals. Kept in its own process so client work does not share the server's
 * event loop (it still shares the machine's cores).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { z } from 'zod';
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

async function main(): Promise<void> {
  const sockets = await connectLabellers(env.URL, env.CLIENTS, 'bench');
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
        const t0 = performance.now();
        const next = (await socket.emitWithAck('sample:next', {})) as NextAck;
        nextMs.push(performance.now() - t0);
        const sample = next.data?.sample;
        if (!sample) {
          if (next.data) empty++;
          else errors++;
          continue;
        }
        const t1 = performance.now();
        const ack = (await socket.emitWithAck('sample:label', {
          sampleId: sample.id,
          value: sample.options[sample.id % sample.options.length],
        })) as { data?: unknown };
        labelMs.push(performance.now() - t1);
        if (ack.data) labels++;
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
  console.log(JSON.stringify({ ...summary, cpuPercent, loopDelayP99Ms }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
