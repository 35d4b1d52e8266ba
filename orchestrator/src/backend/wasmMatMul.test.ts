import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import pino from 'pino';
import { chooseBackend } from './chooseBackend';
import { untransposedMatMul } from './wasmMatMul';

const logger = pino({ level: 'silent' });

/** a (rows × inner) · b (inner × cols), each given row-major, possibly stored transposed. */
function reference(
  a: number[],
  b: number[],
  [rows, inner, cols]: [number, number, number],
  transposeA: boolean,
  transposeB: boolean,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) {
        const av = transposeA ? a[k * rows + i] : a[i * inner + k];
        const bv = transposeB ? b[j * inner + k] : b[k * cols + j];
        sum += (av ?? 0) * (bv ?? 0);
      }
      out.push(sum);
    }
  }
  return out;
}

const values = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => ((i * 7 + seed * 13) % 11) - 5);

test('on wasm, every transpose combination gives the plain product and frees its copies', async () => {
  const { tf, name } = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger });
  assert.equal(name, 'wasm');
  const [rows, inner, cols] = [5, 7, 3];
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const a = values(rows * inner, 1);
      const b = values(inner * cols, 2);
      const ta = tf.tensor2d(a, transposeA ? [inner, rows] : [rows, inner]);
      const tb = tf.tensor2d(b, transposeB ? [cols, inner] : [inner, cols]);
      const before = tf.engine().backend.numDataIds();
      const product = tf.matMul(ta, tb, transposeA, transposeB);
      assert.deepEqual(product.shape, [rows, cols]);
      assert.deepEqual(
        Array.from(await product.data()),
        reference(a, b, [rows, inner, cols], transposeA, transposeB),
        `transposeA=${transposeA} transposeB=${transposeB}`,
      );
      assert.equal(tf.engine().backend.numDataIds(), before + 1, 'only the product is left');
      tf.dispose([ta, tb, product]);
    }
  }
  // Batched, with the batch of b broadcast over a's.
  const a3 = tf.tensor3d(values(2 * 4 * 3, 3), [2, 4, 3]);
  const b3 = tf.tensor3d(values(2 * 4, 4), [1, 2, 4]);
  const expected = await tf.matMul(tf.transpose(a3, [0, 2, 1]), tf.transpose(b3, [0, 2, 1])).data();
  const batched = tf.matMul(a3, b3, true, true);
  assert.deepEqual(batched.shape, [2, 3, 2]);
  assert.deepEqual(Array.from(await batched.data()), Array.from(expected));
});

test('the wrapped kernel sees untransposed inputs only', () => {
  const seen: { transposeA: unknown; transposeB: unknown; a: TensorInfo; b: TensorInfo }[] = [];
  const disposed: unknown[] = [];
  const info = (id: string, shape: number[]): TensorInfo => ({
    dataId: { id },
    shape,
    dtype: 'float32',
  });
  const matMul: KernelFunc = ({ inputs, attrs }) => {
    seen.push({
      transposeA: attrs?.transposeA,
      transposeB: attrs?.transposeB,
      a: inputs.a as TensorInfo,
      b: inputs.b as TensorInfo,
    });
    return info('out', [1, 1]);
  };
  const transpose: KernelFunc = ({ inputs, attrs }) => {
    const x = inputs.x as TensorInfo;
    const perm = attrs?.perm as number[];
    return info(
      `T(${(x.dataId as { id: string }).id})`,
      perm.map((p) => x.shape[p] ?? 0),
    );
  };
  const backend = { disposeData: (dataId: unknown) => disposed.push(dataId) };
  const kernel = untransposedMatMul(matMul, transpose);
  const call = (transposeA: boolean, transposeB: boolean) =>
    kernel({
      inputs: { a: info('a', [2, 3, 4]), b: info('b', [2, 5, 3]) },
      backend,
      attrs: { transposeA, transposeB },
    });
  call(true, true);
  call(false, false);
  assert.deepEqual(
    seen.map((s) => [s.transposeA, s.transposeB, s.a.shape, s.b.shape]),
    [
      [false, false, [2, 4, 3], [2, 3, 5]],
      [false, false, [2, 3, 4], [2, 5, 3]],
    ],
  );
  assert.deepEqual(disposed, [{ id: 'T(a)' }, { id: 'T(b)' }]);
});
