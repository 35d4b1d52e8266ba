import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LayersModel } from '@tensorflow/tfjs';
import { chooseBackend, type ChosenBackend } from '../backend/chooseBackend';
import { Predictor } from '../model/predictInBatches';
import { silentLogger } from '../testing/digitsFixture';
import { TrainerThread, type ThreadTraining } from './trainerThread';

const SIDE = 8;
const N = 60;

/** Two classes a dense network tells apart at once: bright left half or bright right half. */
function halves(): Pick<ThreadTraining, 'pixels' | 'targets'> {
  const pixels = new Uint8Array(N * SIDE * SIDE);
  const targets = new Float32Array(N * 2);
  for (let i = 0; i < N; i++) {
    const right = i % 2;
    targets[i * 2 + right] = 1;
    for (let p = 0; p < SIDE * SIDE; p++) {
      const inRight = p % SIDE >= SIDE / 2 ? 1 : 0;
      pixels[i * SIDE * SIDE + p] =
        inRight === right ? 200 + ((i * 7 + p) % 50) : (i * 13 + p) % 40;
    }
  }
  return { pixels, targets };
}

const job = (epochs: number): ThreadTraining => ({
  architecture: 'dense',
  spec: { width: SIDE, height: SIDE, channels: 1 },
  numClasses: 2,
  multiLabel: false,
  ...halves(),
  epochs,
  maxShift: 0,
  seed: 3,
});

let backend: ChosenBackend;
let thread: TrainerThread;

before(async () => {
  backend = await chooseBackend({ logger: silentLogger, env: { TF_BACKEND: 'wasm' } });
  thread = new TrainerThread({
    backend: backend.name,
    logger: silentLogger,
    pacing: { busyShare: 0.5, sliceMs: 5 },
  });
});

after(async () => {
  await thread.close();
});

function accuracy(model: LayersModel): number {
  const { pixels, targets } = halves();
  const { probs } = new Predictor(backend.tf, model).predict(pixels, N);
  let right = 0;
  for (let i = 0; i < N; i++) {
    const predicted = (probs[i * 2 + 1] ?? 0) > (probs[i * 2] ?? 0) ? 1 : 0;
    if (targets[i * 2 + predicted] === 1) right++;
  }
  return right / N;
}

test('a model trained in the thread is rebuilt here with its weights', async () => {
  const { model, pausedMs } = await thread.train(backend.tf, job(30));
  try {
    assert.equal(accuracy(model), 1, 'it learned the two halves');
    assert.equal(pausedMs, 0, 'nobody busy: never paused');
  } finally {
    model.dispose();
  }
});

test('while labellers are busy the thread trains in paced slices', async () => {
  const { model, pausedMs } = await thread.train(backend.tf, job(30), { busy: () => true });
  model.dispose();
  assert.ok(pausedMs > 0, `paused ${pausedMs} ms`);
});

test('an abort stops the training in the thread, and the thread trains again afterwards', async () => {
  const stop = new AbortController();
  const training = thread.train(backend.tf, job(100_000), { signal: stop.signal });
  setTimeout(() => {
    stop.abort(new Error('job lost'));
  }, 300);
  await assert.rejects(training, /job lost/);
  const { model } = await thread.train(backend.tf, job(30));
  model.dispose();
});

test('a job the thread cannot read fails that job; a new thread takes the next one', async () => {
  await assert.rejects(
    thread.train(backend.tf, { ...job(5), numClasses: 0 }),
    /trainer thread (failed|exited)/,
  );
  const { model } = await thread.train(backend.tf, job(30));
  try {
    assert.equal(accuracy(model), 1);
  } finally {
    model.dispose();
  }
});

test('it helps only single-threaded backends, and only with a second core', () => {
  assert.equal(TrainerThread.helps('wasm', 2), true);
  assert.equal(TrainerThread.helps('cpu', 4), true);
  assert.equal(TrainerThread.helps('wasm', 1), false);
  assert.equal(TrainerThread.helps('tensorflow', 8), false);
  assert.equal(TrainerThread.helps('tensorflow-gpu', 8), false);
});
