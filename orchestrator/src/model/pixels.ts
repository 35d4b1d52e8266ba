import type { Tensor2D } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';

/** n rows of uint8 pixels → an n × len float tensor in [0, 1] (the model's input). */
export function pixelsToTensor(tf: TensorFlow, pixels: Uint8Array, n: number): Tensor2D {
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = (pixels[i] ?? 0) / 255;
  return tf.tensor2d(scaled, [n, n === 0 ? 0 : pixels.length / n]);
}
