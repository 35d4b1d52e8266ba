/** Test fixture: TensorFlow.js on its pure-JS CPU backend, quiet (no wasm start-up, no log). */
import pino from 'pino';
import { chooseBackend, type TensorFlow } from '../backend/chooseBackend';

export async function cpuTensorFlow(): Promise<TensorFlow> {
  const { tf } = await chooseBackend({
    env: { TF_BACKEND: 'cpu' },
    logger: pino({ level: 'silent' }),
  });
  return tf;
}
