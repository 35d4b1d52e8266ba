/**
 * Cold-start embeddings: the image averaged over a grid of at most 7 × 7 cells per channel
 * (49 numbers for a 28x28 grey digit). Coarse enough that pixel noise and small shifts do
 * not dominate the distances, fine enough that k-center spreads picks over visibly different
 * images before any model exists.
 */
import type { InputSpec } from './inputSpec';

const GRID = 7;

export function downsampledDim(spec: InputSpec): number {
  return Math.min(GRID, spec.height) * Math.min(GRID, spec.width) * spec.channels;
}

/** n rows of uint8 pixels → n × downsampledDim(spec) floats in [0, 1]. */
export function downsamplePixels(pixels: Uint8Array, n: number, spec: InputSpec): Float32Array {
  const { width, height, channels } = spec;
  const gw = Math.min(GRID, width);
  const gh = Math.min(GRID, height);
  const dim = gw * gh * channels;
  const rowLen = width * height * channels;
  const out = new Float32Array(n * dim);
  const counts = new Float32Array(dim);
  for (let y = 0; y < height; y++) {
    const cy = Math.floor((y * gh) / height);
    for (let x = 0; x < width; x++) {
      const cx = Math.floor((x * gw) / width);
      for (let c = 0; c < channels; c++) {
        const cell = (cy * gw + cx) * channels + c;
        counts[cell] = (counts[cell] ?? 0) + 1;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const src = i * rowLen;
    const dst = i * dim;
    for (let y = 0; y < height; y++) {
      const cy = Math.floor((y * gh) / height);
      for (let x = 0; x < width; x++) {
        const cx = Math.floor((x * gw) / width);
        for (let c = 0; c < channels; c++) {
          const cell = dst + (cy * gw + cx) * channels + c;
          out[cell] = (out[cell] ?? 0) + (pixels[src + (y * width + x) * channels + c] ?? 0);
        }
      }
    }
    for (let k = 0; k < dim; k++) out[dst + k] = (out[dst + k] ?? 0) / (255 * (counts[k] ?? 1));
  }
  return out;
}
