/**
 * A second thread that trains a classifier while the main thread trains another: a retrain
 * trains two models (the project's and its unshifted scorer, unshiftedScorer.ts), ~85% of a
 * cycle on wasm, and the wasm backend runs on one core. On two cores the pair takes the time
 * of one, so a crowd that never waits gets orders from fresher models.
 *
 * Only for the single-threaded backends (wasm, cpu) and with a second core: TensorFlow's
 * native backends already use every core (or the GPU). The worker starts on first use and is
 * kept (loading the backend costs ~2 s); it holds the process open only while it trains.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Logger } from 'pino';
import type { BackendName, TensorFlow } from '../backend/chooseBackend';
import { buildClassifier } from '../model/architecture';
import { PACING_SLICE_MS, type PacingSettings } from '../pacing/pacer';
import {
  FLAG,
  ThreadResultSchema,
  type ThreadInit,
  type ThreadJob,
  type ThreadResult,
} from './trainerThreadProtocol';

/** How often the main thread copies the busy and abort state into the shared flags. */
const FLAG_POLL_MS = 50;

export type ThreadTraining = Omit<ThreadJob, 'id'>;

/**
 * Source files run through tsx, whose loader a worker does not inherit (Node 20): the worker
 * registers it, then imports the entry.
 */
function startWorker(init: ThreadInit): Worker {
  const entry = new URL('./trainerThreadWorker.ts', import.meta.url).href;
  const loader = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

/** A started worker and the jobs sent to it, each waiting for its result. */
interface Running {
  worker: Worker;
  pending: Map<number, (result: ThreadResult) => void>;
}

export class TrainerThread {
  private running: Running | undefined;
  private readonly flags = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  private nextId = 1;
  private readonly log: Logger;

  /** Whether a second thread can speed up training with this backend on this machine. */
  static helps(backend: BackendName, cores = availableParallelism()): boolean {
    return (backend === 'wasm' || backend === 'cpu') && cores >= 2;
  }

  constructor(
    private readonly o: {
      backend: BackendName;
      logger: Logger;
      /** Paced like the main thread, at half its busy share (the two train side by side). */
      pacing?: Pick<PacingSettings, 'busyShare' | 'sliceMs'>;
    },
  ) {
    this.log = o.logger.child({ component: 'trainer-thread' });
  }

  private ensureWorker(): Running {
    if (this.running) return this.running;
    const pacing = this.o.pacing;
    const worker = startWorker({
      backend: this.o.backend,
      busyShare: pacing ? pacing.busyShare / 2 : 1,
      sliceMs: pacing?.sliceMs ?? PACING_SLICE_MS,
      flags: this.flags,
    });
    worker.unref();
    const running: Running = { worker, pending: new Map() };
    worker.on('message', (message: unknown) => {
      const result = ThreadResultSchema.parse(message);
      running.pending.get(result.id)?.(result);
      running.pending.delete(result.id);
    });
    // A failed worker fails only the jobs it had; the next job starts a new one.
    const failAll = (error: string) => {
      if (this.running === running) this.running = undefined;
      for (const [id, settle] of running.pending) settle({ id, error });
      running.pending.clear();
    };
    worker.on('error', (err) => {
      this.log.error({ err }, 'trainer thread failed');
      failAll(`trainer thread failed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      failAll(`trainer thread exited with code ${code}`);
    });
    this.running = running;
    return running;
  }

  /**
   * Trains in the thread and rebuilds the model here from its weights; with the time the
   * thread paused. `busy` says whether labellers would feel training now (read every 50 ms).
   */
  async train(
    tf: TensorFlow,
    job: ThreadTraining,
    o: { signal?: AbortSignal; busy?: () => boolean } = {},
  ): Promise<{ model: LayersModel; pausedMs: number }> {
    o.signal?.throwIfAborted();
    const { worker, pending } = this.ensureWorker();
    const id = this.nextId++;
    const sync = () => {
      Atomics.store(this.flags, FLAG.busy, o.busy?.() ? 1 : 0);
      Atomics.store(this.flags, FLAG.abort, o.signal?.aborted ? 1 : 0);
    };
    sync();
    const poll = setInterval(sync, FLAG_POLL_MS);
    worker.ref();
    try {
      const result = await new Promise<ThreadResult>((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ ...job, id } satisfies ThreadJob);
      });
      o.signal?.throwIfAborted();
      if ('error' in result) throw new Error(`training in the trainer thread: ${result.error}`);
      const model = buildClassifier(tf, job.architecture, job, job.seed);
      const tensors = result.weights.map((w) => tf.tensor(w.values, w.shape));
      try {
        model.setWeights(tensors);
      } finally {
        tf.dispose(tensors);
      }
      return { model, pausedMs: result.pausedMs };
    } finally {
      clearInterval(poll);
      worker.unref();
    }
  }

  async close(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.worker.terminate();
  }
}
