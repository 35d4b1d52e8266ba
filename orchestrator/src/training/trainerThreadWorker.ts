/**
 * The trainer thread's entry (started by trainerThread.ts): loads the backend the main thread
 * chose, then trains one classifier per message and sends its weights back. Paced by its own
 * Pacer on the busy flag the main thread keeps up to date; stops within a batch once the
 * abort flag is set.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadBackend } from '../backend/chooseBackend';
import { trainClassifier } from '../model/trainClassifier';
import { Pacer } from '../pacing/pacer';
import {
  FLAG,
  ThreadInitSchema,
  ThreadJobSchema,
  type ThreadResult,
} from './trainerThreadProtocol';

const port = parentPort;
if (!port) throw new Error('trainerThreadWorker runs only as a worker thread');
const init = ThreadInitSchema.parse(workerData);
const tf = await loadBackend(init.backend);

/** The result, and the buffers it hands over instead of copying. */
async function train(message: unknown): Promise<[ThreadResult, ArrayBuffer[]]> {
  const job = ThreadJobSchema.parse(message);
  try {
    const pacer = new Pacer(() => Atomics.load(init.flags, FLAG.busy) === 1, init);
    const stop = new AbortController();
    const model = await trainClassifier({
      tf,
      ...job,
      signal: stop.signal,
      pace: async () => {
        if (Atomics.load(init.flags, FLAG.abort) === 1) stop.abort();
        await pacer.pace();
      },
    });
    try {
      const weights = model.getWeights().map((w) => ({
        shape: w.shape,
        values: Float32Array.from(w.dataSync()),
      }));
      const buffers = weights.map((w) => w.values.buffer);
      return [{ id: job.id, weights, pausedMs: pacer.pausedMs }, buffers];
    } finally {
      model.dispose();
    }
  } catch (err) {
    return [{ id: job.id, error: err instanceof Error ? err.message : String(err) }, []];
  }
}

port.on('message', (message: unknown) => {
  void train(message).then(([result, buffers]) => {
    port.postMessage(result, buffers);
  });
});
