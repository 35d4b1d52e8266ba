/**
 * Architecture 'pca''s frozen first layer: pixels in [0, 1] → coordinates on the pool's
 * principal components, each divided by the square root of its standard deviation on the
 * fitted sample (half-way to whitening): the strongest directions, mostly brightness and
 * colour in colour images, no longer drown the weaker ones that hold shape, while the weakest
 * (mostly noise) are not raised to their level.
 */
import type { PcaBasis } from '../embedding/pca';
import type { InputProjection } from './architecture';

export function halfWhitenedProjection(basis: PcaBasis): InputProjection {
  const { inputDim, dim, components, mean, variances } = basis;
  const kernel = new Float32Array(inputDim * dim);
  const bias = new Float32Array(dim);
  for (let k = 0; k < dim; k++) {
    const scale = Math.max(variances[k] ?? 0, 1e-8) ** -0.25;
    let shift = 0;
    for (let j = 0; j < inputDim; j++) {
      const w = (components[k * inputDim + j] ?? 0) * scale;
      kernel[j * dim + k] = w;
      shift += (mean[j] ?? 0) * w;
    }
    bias[k] = -shift;
  }
  return { units: dim, kernel, bias };
}
