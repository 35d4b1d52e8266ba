/**
 * tfjs-backend-wasm (4.22) multiplies through XNNPACK only when neither input is transposed;
 * with transposeA or transposeB it runs a plain loop that is 5–40× slower. Training is made of
 * exactly those products — a dense layer's gradients are xᵀ·dy and dy·wᵀ — so on wasm the
 * backward pass, not the forward one, set the length of a retrain. The wrapper transposes
 * each flagged input explicitly (one copy, cheap next to the product) and multiplies
 * untransposed. Results are the same products; only the summation order may differ.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { TensorFlow } from './chooseBackend';

const BATCH_MAT_MUL = 'BatchMatMul';
const TRANSPOSE = 'Transpose';
const WASM = 'wasm';

/** What the wrapper needs of the backend a kernel is called with (typed `{}` by tfjs). */
interface DataOwner {
  disposeData(dataId: object): void;
}

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

const wrapped = new WeakSet<KernelFunc>();

/** `matMul` called only with transposeA = transposeB = false; `transpose` makes the copies. */
export function untransposedMatMul(matMul: KernelFunc, transpose: KernelFunc): KernelFunc {
  const kernel: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
    if (!transposeA && !transposeB) return matMul(args);
    const copies: TensorInfo[] = [];
    const swapped = (x: TensorInfo | undefined): TensorInfo => {
      if (!x) throw new Error('BatchMatMul needs inputs a and b');
      const t = transpose({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } });
      copies.push(t as TensorInfo);
      return t as TensorInfo;
    };
    try {
      const a = transposeA ? swapped(inputs.a) : inputs.a;
      const b = transposeB ? swapped(inputs.b) : inputs.b;
      return matMul({
        inputs: { ...inputs, a, b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of copies) (backend as DataOwner).disposeData(t.dataId);
    }
  };
  wrapped.add(kernel);
  return kernel;
}

/** Replaces the wasm backend's BatchMatMul by the wrapper; a second call changes nothing. */
export function installUntransposedMatMul(tf: TensorFlow): void {
  // getKernel is typed as always finding one; it returns undefined for a missing kernel.
  const matMul = tf.getKernel(BATCH_MAT_MUL, WASM) as KernelConfig | undefined;
  const transpose = tf.getKernel(TRANSPOSE, WASM) as KernelConfig | undefined;
  if (!matMul || !transpose)
    throw new Error('the wasm backend has no BatchMatMul/Transpose kernel');
  if (wrapped.has(matMul.kernelFunc)) return;
  tf.unregisterKernel(BATCH_MAT_MUL, WASM);
  // The kernel's setupFunc already ran when the backend initialised; the wrapper keeps it for
  // a backend that is initialised again.
  tf.registerKernel({
    ...matMul,
    kernelFunc: untransposedMatMul(matMul.kernelFunc, transpose.kernelFunc),
  });
}
