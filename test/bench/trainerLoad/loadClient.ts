/** Runs labellerLoad.ts as a child process and follows its window and result lines. */
import { z } from 'zod';
import { spawnNode } from './processes';

export const LoadResultSchema = z.object({
  seconds: z.number(),
  labels: z.number(),
  labelsPerSecond: z.number(),
  nexts: z.number(),
  nextP50: z.number(),
  nextP95: z.number(),
  nextP99: z.number(),
  nextMax: z.number(),
  nextOver50: z.number(),
  labelP50: z.number(),
  labelP99: z.number(),
  empty: z.number(),
  errors: z.number(),
  errorCodes: z.record(z.string(), z.number()),
  clientLoopDelayP99: z.number(),
});
export type LoadResult = z.infer<typeof LoadResultSchema>;

const EventSchema = z.object({ event: z.enum(['connected', 'window', 'window-end', 'result']) });
const CONNECT_TIMEOUT_MS = 60_000;

export async function runLabellerLoad(opts: {
  repoRoot: string;
  url: string;
  project: string;
  namePrefix: string;
  clients: number;
  warmup: number;
  seconds: number;
  /** Called with the client process's pid once its labellers are connected. */
  onConnected: (pid: number | undefined) => void;
  onWindowOpen: () => void;
  onWindowEnd: () => void;
}): Promise<LoadResult> {
  const child = spawnNode({
    name: 'labellers',
    session: 'own',
    script: 'test/bench/trainerLoad/labellerLoad.ts',
    env: {
      URL: opts.url,
      PROJECT: opts.project,
      NAME_PREFIX: opts.namePrefix,
      CLIENTS: String(opts.clients),
      WARMUP_SECONDS: String(opts.warmup),
      SECONDS: String(opts.seconds),
    },
    cwd: opts.repoRoot,
  });
  // Filled in by the line listener (a holder: TypeScript does not follow closures' writes).
  const got: { result?: LoadResult; connected?: boolean } = {};
  child.onLine((line) => {
    if (!line.startsWith('{"event"')) return;
    const json: unknown = JSON.parse(line);
    const { event } = EventSchema.parse(json);
    if (event === 'connected') {
      got.connected = true;
      opts.onConnected(child.pid);
    } else if (event === 'window') opts.onWindowOpen();
    else if (event === 'window-end') opts.onWindowEnd();
    else got.result = LoadResultSchema.parse(json);
  });
  // Bounded: connecting, the warm-up, the window, and a minute for the last acks.
  const limitMs = CONNECT_TIMEOUT_MS + (opts.warmup + opts.seconds) * 1000 + 60_000;
  const timer = setTimeout(() => void child.stop(1_000), limitMs);
  try {
    const code = await child.exited;
    if (code !== 0 || !got.result) {
      const why = got.connected ? `exited with ${String(code)}` : 'could not connect its labellers';
      throw new Error(`the labeller load process ${why}:\n${child.tail()}`);
    }
    return got.result;
  } finally {
    clearTimeout(timer);
    await child.stop();
  }
}
