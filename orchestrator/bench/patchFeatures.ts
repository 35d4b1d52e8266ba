/**
 * Single-layer unsupervised features learned from the pool (Coates, Lee & Ng 2011): small
 * patches, each normalised by its own mean and contrast and ZCA-whitened, clustered by k-means;
 * an image is described by how close its patches come to each centroid ("triangle" code:
 * max(0, mean distance − distance)), summed over its four quadrants. No label, no backprop:
 * a few matrix products per image, so it runs on any backend. Output as uint8 rows (each feature
 * standardised over the images, 32 levels per standard deviation around 128) so that the
 * product's PCA takes them like pixels.
 */
import type { Rng } from '../src/acquisition/rng';
import { randomInt } from '../src/acquisition/rng';
import type { TensorFlow } from '../src/backend/chooseBackend';
import { symmetricEigen } from '../src/embedding/symmetricEigen';
import type { InputSpec } from '../src/features/inputSpec';

export interface PatchOptions {
  patch: number;
  stride: number;
  centroids: number;
  fitPatches: number;
  iterations: number;
}

export const PATCH_DEFAULTS: PatchOptions = {
  patch: 5,
  stride: 2,
  centroids: 128,
  fitPatches: 40_000,
  iterations: 10,
};

/** Brightness and contrast removed: (x − mean) / sqrt(var + 10), in 0..255 units. */
function normalisePatch(into: Float32Array, offset: number, d: number): void {
  let sum = 0;
  let sq = 0;
  for (let j = 0; j < d; j++) sum += into[offset + j] ?? 0;
  const mean = sum / d;
  for (let j = 0; j < d; j++) {
    const v = (into[offset + j] ?? 0) - mean;
    into[offset + j] = v;
    sq += v * v;
  }
  const scale = 1 / Math.sqrt(sq / d + 10);
  for (let j = 0; j < d; j++) into[offset + j] = (into[offset + j] ?? 0) * scale;
}

function copyPatch(
  pixels: Uint8Array,
  base: number,
  spec: InputSpec,
  x0: number,
  y0: number,
  p: number,
  into: Float32Array,
  offset: number,
): void {
  const { width: w, channels: c } = spec;
  let k = offset;
  for (let y = 0; y < p; y++) {
    const row = base + ((y0 + y) * w + x0) * c;
    for (let j = 0; j < p * c; j++) into[k++] = pixels[row + j] ?? 0;
  }
}

interface Whitening {
  mean: Float32Array;
  /** d × d, symmetric. */
  matrix: Float32Array;
}

function zca(patches: Float32Array, n: number, d: number): Whitening {
  const mean = new Float32Array(d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) mean[j] = (mean[j] ?? 0) + (patches[i * d + j] ?? 0) / n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = (patches[i * d + j] ?? 0) - (mean[j] ?? 0);
    for (let a = 0; a < d; a++) {
      const ra = row[a] ?? 0;
      for (let b = a; b < d; b++) cov[a * d + b] = (cov[a * d + b] ?? 0) + ra * (row[b] ?? 0);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      cov[a * d + b] = (cov[a * d + b] ?? 0) / n;
      cov[b * d + a] = cov[a * d + b] ?? 0;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const matrix = new Float32Array(d * d);
  for (let k = 0; k < d; k++) {
    const s = 1 / Math.sqrt(Math.max(values[k] ?? 0, 0) + 0.1);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++)
        matrix[a * d + b] =
          (matrix[a * d + b] ?? 0) + (vectors[a * d + k] ?? 0) * s * (vectors[b * d + k] ?? 0);
    }
  }
  return { mean, matrix };
}

/** Lloyd's k-means from k random rows: k × d centres. */
export function kmeans(
  tf: TensorFlow,
  x: Float32Array,
  n: number,
  d: number,
  k: number,
  iterations: number,
  rng: Rng,
): Float32Array {
  const centres = new Float32Array(k * d);
  for (let c = 0; c < k; c++) {
    const i = randomInt(rng, n);
    centres.set(x.subarray(i * d, (i + 1) * d), c * d);
  }
  const xt = tf.tensor2d(x, [n, d]);
  try {
    for (let it = 0; it < iterations; it++) {
      const assign = tf.tidy(() => {
        const c = tf.tensor2d(centres, [k, d]);
        const dist = tf.sub(tf.sum(tf.square(c), 1), tf.mul(2, tf.matMul(xt, c, false, true)));
        return tf.argMin(dist, 1).dataSync();
      });
      const sums = new Float64Array(k * d);
      const counts = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        const c = assign[i] ?? 0;
        counts[c] = (counts[c] ?? 0) + 1;
        for (let j = 0; j < d; j++) sums[c * d + j] = (sums[c * d + j] ?? 0) + (x[i * d + j] ?? 0);
      }
      for (let c = 0; c < k; c++) {
        if (counts[c] === 0) {
          const i = randomInt(rng, n);
          centres.set(x.subarray(i * d, (i + 1) * d), c * d);
          continue;
        }
        for (let j = 0; j < d; j++) centres[c * d + j] = (sums[c * d + j] ?? 0) / (counts[c] ?? 0);
      }
    }
  } finally {
    xt.dispose();
  }
  return centres;
}

/** n images → n × 4·centroids triangle codes pooled over quadrants, as standardised bytes. */
export function patchFeatures(
  tf: TensorFlow,
  pixels: Uint8Array,
  n: number,
  spec: InputSpec,
  rng: Rng,
  o: PatchOptions = PATCH_DEFAULTS,
): Uint8Array {
  const { width: w, height: h, channels: ch } = spec;
  const p = o.patch;
  const d = p * p * ch;
  const imageSize = w * h * ch;
  const fitN = o.fitPatches;
  const sample = new Float32Array(fitN * d);
  for (let s = 0; s < fitN; s++) {
    const i = randomInt(rng, n);
    copyPatch(
      pixels,
      i * imageSize,
      spec,
      randomInt(rng, w - p + 1),
      randomInt(rng, h - p + 1),
      p,
      sample,
      s * d,
    );
    normalisePatch(sample, s * d, d);
  }
  const white = zca(sample, fitN, d);
  const whitened = tf.tidy(
    () =>
      tf
        .matMul(
          tf.sub(tf.tensor2d(sample, [fitN, d]), tf.tensor1d(white.mean)),
          tf.tensor2d(white.matrix, [d, d]),
        )
        .dataSync() as Float32Array,
  );
  const k = o.centroids;
  const centres = kmeans(tf, Float32Array.from(whitened), fitN, d, k, o.iterations, rng);

  const xs: number[] = [];
  for (let x = 0; x + p <= w; x += o.stride) xs.push(x);
  const ys: number[] = [];
  for (let y = 0; y + p <= h; y += o.stride) ys.push(y);
  const positions = xs.length * ys.length;
  const quadrants: number[][] = [[], [], [], []];
  ys.forEach((y, a) => {
    xs.forEach((x, b) => {
      const q = (y + p / 2 < h / 2 ? 0 : 2) + (x + p / 2 < w / 2 ? 0 : 1);
      quadrants[q]?.push(a * xs.length + b);
    });
  });
  const featureDim = 4 * k;
  const features = new Float32Array(n * featureDim);
  const chunk = Math.max(1, Math.floor(60_000 / positions));
  const c = tf.tensor2d(centres, [k, d]);
  const wm = tf.tensor2d(white.matrix, [d, d]);
  const wmean = tf.tensor1d(white.mean);
  try {
    for (let start = 0; start < n; start += chunk) {
      const end = Math.min(n, start + chunk);
      const rows = (end - start) * positions;
      const buf = new Float32Array(rows * d);
      let r = 0;
      for (let i = start; i < end; i++) {
        for (const y of ys) {
          for (const x of xs) {
            copyPatch(pixels, i * imageSize, spec, x, y, p, buf, r * d);
            normalisePatch(buf, r * d, d);
            r++;
          }
        }
      }
      const pooled = tf.tidy(() => {
        const z = tf.matMul(tf.sub(tf.tensor2d(buf, [rows, d]), wmean), wm);
        const sq = tf.add(
          tf.sub(tf.sum(tf.square(z), 1, true), tf.mul(2, tf.matMul(z, c, false, true))),
          tf.sum(tf.square(c), 1),
        );
        const dist = tf.sqrt(tf.relu(sq));
        const code = tf.reshape(tf.relu(tf.sub(tf.mean(dist, 1, true), dist)), [
          end - start,
          positions,
          k,
        ]);
        const parts = quadrants.map((idx) => tf.sum(tf.gather(code, idx, 1), 1));
        return tf.concat(parts, 1).dataSync();
      });
      features.set(pooled, start * featureDim);
    }
  } finally {
    c.dispose();
    wm.dispose();
    wmean.dispose();
  }
  const out = new Uint8Array(features.length);
  for (let j = 0; j < featureDim; j++) {
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) sum += features[i * featureDim + j] ?? 0;
    const mean = sum / n;
    for (let i = 0; i < n; i++) sq += ((features[i * featureDim + j] ?? 0) - mean) ** 2;
    const sd = Math.sqrt(sq / n) || 1;
    for (let i = 0; i < n; i++) {
      const v = 128 + (32 * ((features[i * featureDim + j] ?? 0) - mean)) / sd;
      out[i * featureDim + j] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}
