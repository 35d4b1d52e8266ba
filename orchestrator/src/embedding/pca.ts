/**
 * The pool's own embedding, learned before any label: principal components of the images'
 * pixels (scaled to [0, 1]), fitted on a random sample of the project's images by subspace
 * iteration on tfjs matrix products (no D × D covariance is formed: 3,072 colour inputs cost
 * the same passes as 784 grey ones). Rows are projected on the top components and scaled to
 * unit length, so typicality and k-center compare images by the angle of their main
 * variations around the mean image.
 */
import type { TensorFlow } from '../backend/chooseBackend';
import type { Rng } from '../acquisition/rng';
import { symmetricEigen } from './symmetricEigen';

export interface PcaBasis {
  inputDim: number;
  /** inputDim means, in [0, 1] pixel units. */
  mean: Float32Array;
  /** dim × inputDim, row-major: one unit-length component per row, strongest first. */
  components: Float32Array;
  dim: number;
  /** Share of the sample's variance the components hold. */
  explained: number;
  /** dim variances of the sample along the components (pixel units squared). */
  variances: Float32Array;
}

const OVERSAMPLE = 16;
const ITERATIONS = 4;

function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Columns of z (rows × cols, row-major) made orthonormal through the eigen-basis of zᵀz. */
function orthonormalColumns(tf: TensorFlow, z: ReturnType<TensorFlow['tensor2d']>) {
  return tf.tidy(() => {
    const cols = z.shape[1];
    const gram = Float64Array.from(tf.matMul(z, z, true, false).dataSync());
    const { values, vectors } = symmetricEigen(gram, cols);
    const scale = new Float32Array(cols * cols);
    for (let i = 0; i < cols; i++) {
      for (let j = 0; j < cols; j++) {
        scale[i * cols + j] =
          (vectors[i * cols + j] ?? 0) / Math.sqrt(Math.max(values[j] ?? 0, 1e-12));
      }
    }
    return tf.matMul(z, tf.tensor2d(scale, [cols, cols]));
  });
}

/** Fits `dim` components on n rows of uint8 pixels (the sample: callers bound n). */
export function fitPca(
  tf: TensorFlow,
  pixels: Uint8Array,
  n: number,
  dim: number,
  rng: Rng,
): PcaBasis {
  const inputDim = n === 0 ? 0 : pixels.length / n;
  const k = Math.max(1, Math.min(dim, n - 1, inputDim));
  const l = Math.min(k + OVERSAMPLE, inputDim, Math.max(n - 1, 1));
  const mean = new Float32Array(inputDim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < inputDim; j++) mean[j] = (mean[j] ?? 0) + (pixels[i * inputDim + j] ?? 0);
  }
  for (let j = 0; j < inputDim; j++) mean[j] = (mean[j] ?? 0) / (255 * Math.max(n, 1));
  const start = new Float32Array(inputDim * l);
  for (let i = 0; i < start.length; i++) start[i] = gaussian(rng);
  const result = tf.tidy(() => {
    const x = tf.sub(tf.div(tf.tensor2d(pixels, [n, inputDim], 'float32'), 255), tf.tensor1d(mean));
    let z = orthonormalColumns(tf, tf.tensor2d(start, [inputDim, l]));
    for (let it = 0; it < ITERATIONS; it++) {
      // z ← orth(Xᵀ X z): converges on the top right-singular vectors of X.
      z = orthonormalColumns(tf, tf.matMul(x, tf.matMul(x, z), true, false));
    }
    // Rayleigh–Ritz: rotate the subspace onto the covariance's eigenvectors inside it.
    const xz = tf.matMul(x, z);
    const small = Float64Array.from(tf.matMul(xz, xz, true, false).dataSync());
    const { values, vectors } = symmetricEigen(small, l);
    const rotate = new Float32Array(l * k);
    for (let i = 0; i < l; i++)
      for (let j = 0; j < k; j++) rotate[i * k + j] = vectors[i * l + j] ?? 0;
    const comps = tf.transpose(tf.matMul(z, tf.tensor2d(rotate, [l, k])));
    const total = tf.sum(tf.square(x)).dataSync()[0] ?? 0;
    let kept = 0;
    for (let j = 0; j < k; j++) kept += values[j] ?? 0;
    return {
      components: comps.dataSync() as Float32Array,
      explained: total > 0 ? kept / total : 0,
      variances: Float32Array.from({ length: k }, (_, j) => (values[j] ?? 0) / Math.max(n, 1)),
    };
  });
  return {
    inputDim,
    mean,
    components: Float32Array.from(result.components),
    dim: k,
    explained: result.explained,
    variances: result.variances,
  };
}

/** n rows of uint8 pixels → n × basis.dim unit-length embeddings. */
export function projectPca(
  tf: TensorFlow,
  basis: PcaBasis,
  pixels: Uint8Array,
  n: number,
): Float32Array {
  if (n === 0) return new Float32Array(0);
  return tf.tidy(() => {
    const x = tf.sub(
      tf.div(tf.tensor2d(pixels, [n, basis.inputDim], 'float32'), 255),
      tf.tensor1d(basis.mean),
    );
    const e = tf.matMul(x, tf.tensor2d(basis.components, [basis.dim, basis.inputDim]), false, true);
    const norm = tf.maximum(tf.norm(e, 'euclidean', 1, true), 1e-6);
    return Float32Array.from(tf.div(e, norm).dataSync());
  });
}
