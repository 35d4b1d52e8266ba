import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { createRng } from '../acquisition/rng';
import { typicality } from '../acquisition/typicality';
import { chooseBackend } from '../backend/chooseBackend';
import { halfWhitenedProjection } from '../model/pcaProjection';
import { fitPca, projectPca } from './pca';

const { tf } = await chooseBackend({
  env: { TF_BACKEND: 'wasm' },
  logger: pino({ level: 'silent' }),
});

/** n rows of `d` pixels that vary along two hidden directions plus a little noise. */
function lowRankPixels(n: number, d: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const out = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = rng() - 0.5;
    const b = rng() - 0.5;
    for (let j = 0; j < d; j++) {
      const v = 128 + 200 * a * Math.sin(j / 5) + 100 * b * Math.cos(j / 3) + (rng() - 0.5) * 4;
      out[i * d + j] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

test('PCA finds orthonormal components that hold a low-rank set’s variance', () => {
  const n = 600;
  const d = 100;
  const pixels = lowRankPixels(n, d, 1);
  const basis = fitPca(tf, pixels, n, 8, createRng(2));
  assert.equal(basis.dim, 8);
  assert.ok(basis.explained > 0.97, `explained ${basis.explained}`);
  for (let a = 0; a < basis.dim; a++) {
    for (let b = 0; b < basis.dim; b++) {
      let dot = 0;
      for (let j = 0; j < d; j++) {
        dot += (basis.components[a * d + j] ?? 0) * (basis.components[b * d + j] ?? 0);
      }
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-3, `components ${a}·${b} = ${dot}`);
    }
  }
  const embedded = projectPca(tf, basis, pixels, n);
  assert.equal(embedded.length, n * 8);
  const norm = Math.hypot(...embedded.subarray(0, 8));
  assert.ok(Math.abs(norm - 1) < 1e-4, 'rows are unit length');
});

test('typicality: members of a tight cluster are more typical than scattered outliers', () => {
  const dim = 4;
  const rng = createRng(3);
  const n = 300;
  const rows = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const spread = i < 250 ? 0.05 : 1;
    const v = [1, 0, 0, 0].map((c) => c + (rng() - 0.5) * spread * 2);
    const len = Math.hypot(...v);
    v.forEach((x, k) => (rows[i * dim + k] = x / len));
  }
  const typ = typicality(tf, rows, dim, createRng(4));
  const mean = (from: number, to: number) =>
    typ.slice(from, to).reduce((s, v) => s + v, 0) / (to - from);
  assert.ok(mean(0, 250) > 3 * mean(250, 300), `${mean(0, 250)} vs ${mean(250, 300)}`);
  assert.ok(Math.max(...typ) === 1);
});

test('the half-whitened projection centres the sample and leaves each component its standard deviation as variance', () => {
  const n = 600;
  const d = 100;
  const pixels = lowRankPixels(n, d, 3);
  const basis = fitPca(tf, pixels, n, 2, createRng(4));
  const { units, kernel, bias } = halfWhitenedProjection(basis);
  assert.equal(units, 2);
  for (let k = 0; k < units; k++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      let z = bias[k] ?? 0;
      for (let j = 0; j < d; j++)
        z += ((pixels[i * d + j] ?? 0) / 255) * (kernel[j * units + k] ?? 0);
      sum += z;
      squares += z * z;
    }
    const mean = sum / n;
    const sd = Math.sqrt(basis.variances[k] ?? 0);
    assert.ok(Math.abs(mean) < 1e-3, `component ${k} mean ${mean}`);
    const variance = squares / n - mean * mean;
    assert.ok(Math.abs(variance / sd - 1) < 0.02, `component ${k} variance ${variance}, sd ${sd}`);
  }
});
