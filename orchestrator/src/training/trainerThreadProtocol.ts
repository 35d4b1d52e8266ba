/**
 * What the main thread and the trainer thread (trainerThread.ts, trainerThreadWorker.ts) send
 * each other, parsed with zod on receipt: a message crosses a thread boundary as a structured
 * clone, so its type is a claim until checked.
 */
import { z } from 'zod';
import { BACKEND_NAMES } from '../backend/chooseBackend';
import { inputSpecSchema } from '../features/inputSpec';

/** A typed array over any buffer (the flags live on a SharedArrayBuffer). */
function typedArray<T>(type: abstract new (...args: never[]) => T) {
  return z.custom<T>((v) => v instanceof type, { message: `expected a ${type.name}` });
}

/** Index of the flags the main thread sets in the shared Int32Array. */
export const FLAG = { busy: 0, abort: 1 } as const;

export const ThreadInitSchema = z.object({
  backend: z.enum(BACKEND_NAMES),
  /** Share of wall time the thread trains while labellers are busy (see pacing/pacer.ts). */
  busyShare: z.number().gt(0).max(1),
  sliceMs: z.number().positive(),
  flags: typedArray<Int32Array>(Int32Array),
});
export type ThreadInit = z.infer<typeof ThreadInitSchema>;

export const ThreadJobSchema = z.object({
  id: z.number().int(),
  architecture: z.enum(['dense', 'cnn']),
  spec: inputSpecSchema,
  numClasses: z.number().int().positive(),
  multiLabel: z.boolean(),
  pixels: typedArray<Uint8Array>(Uint8Array),
  targets: typedArray<Float32Array>(Float32Array),
  epochs: z.number().int().positive(),
  maxShift: z.number().int().min(0),
  seed: z.number().int(),
});
export type ThreadJob = z.infer<typeof ThreadJobSchema>;

export const ThreadResultSchema = z.union([
  z.object({
    id: z.number().int(),
    weights: z.array(
      z.object({
        shape: z.array(z.number().int()),
        values: typedArray<Float32Array>(Float32Array),
      }),
    ),
    pausedMs: z.number(),
  }),
  z.object({ id: z.number().int(), error: z.string() }),
]);
export type ThreadResult = z.infer<typeof ThreadResultSchema>;
