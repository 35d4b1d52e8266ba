/**
 * Training-time augmentation: every epoch sees each labelled image shifted by a few pixels in
 * a random direction (empty border filled with 0). A small translation keeps the class of
 * practically any photo or scan, unlike flips (digits, text, arrows) or colour changes, and
 * it is what a dense network lacks most: it has no built-in notion that a shifted image is the
 * same image. It needs more epochs to pay off (see epochsFor).
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';
import { randomInt } from '../acquisition/rng';
import type { InputSpec } from '../features/inputSpec';

/** Up to ~7% of the shorter side (2 px at 28, 3 px at 48), at least 1. */
export function maxShiftFor(spec: InputSpec): number {
  return Math.max(1, Math.round(0.07 * Math.min(spec.width, spec.height)));
}

/**
 * Rows `order` of `pixels` (n × h·w·c uint8, row-major, channels last), each translated by
 * (dx, dy) drawn uniformly from [-maxShift, maxShift], scaled to [0, 1] like pixelsToTensor.
 * maxShift 0 gathers the rows as they are.
 */
export function shiftedRows(
  tf: TensorFlow,
  pixels: Uint8Array,
  order: Int32Array,
  spec: InputSpec,
  maxShift: number,
  rng: () => number,
): Tensor2D {
  const { width: w, height: h, channels: c } = spec;
  const len = w * h * c;
  const out = new Float32Array(order.length * len);
  for (let r = 0; r < order.length; r++) {
    const src = (order[r] ?? 0) * len;
    const dst = r * len;
    const dx = randomInt(rng, 2 * maxShift + 1) - maxShift;
    const dy = randomInt(rng, 2 * maxShift + 1) - maxShift;
    // Copy whole row segments: x from max(0, dx) to min(w, w + dx) reads x - dx.
    const x0 = Math.max(0, dx);
    const x1 = Math.min(w, w + dx);
    for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
      const from = src + ((y - dy) * w + (x0 - dx)) * c;
      const to = dst + (y * w + x0) * c;
      for (let k = 0; k < (x1 - x0) * c; k++) out[to + k] = (pixels[from + k] ?? 0) / 255;
    }
  }
  return tf.tensor2d(out, [order.length, len]);
}
