/**
 * Feeding a pretrained backbone the project's pixels, and turning what it answers into rows.
 *
 * In: uint8 HWC rows of the project's input spec are resized (bilinear, half-pixel centres) to
 * the model's input size, grey is repeated into three channels when the model wants RGB (RGB
 * becomes luma, 0.299 R + 0.587 G + 0.114 B, when it wants grey), and values are scaled to
 * [0, 1] ('unit', the default), [-1, 1] ('symmetric') or left at 0-255 ('bytes'). A model whose
 * height or width is not fixed gets the project's size. No mean/std normalisation: a backbone
 * that needs it carries it as its first layers (or the setting picks the range it was trained
 * on).
 *
 * Out: a rank-2 output is taken as it is; a feature map (rank 4) is averaged over its spatial
 * axes (global average pooling), a sequence (rank 3) over its tokens; rows are scaled to unit
 * length so that typicality and k-center compare images by angle, as with PCA.
 */
import type { Rank, Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';
import { featureLength, type InputSpec } from '../features/inputSpec';
import { EmbedderLoadError } from './poolEmbedder';

export type Layout = 'NHWC' | 'NCHW';

export interface ModelInputShape {
  height: number;
  width: number;
  channels: 1 | 3;
  layout: Layout;
}

export type InputRange = 'unit' | 'symmetric' | 'bytes';

const SCALE: Record<InputRange, { div: number; sub: number }> = {
  unit: { div: 255, sub: 0 },
  symmetric: { div: 127.5, sub: 1 },
  bytes: { div: 1, sub: 0 },
};

/** A declared dimension: a number (≤ 0 or null: not fixed) or a symbolic name (ONNX). */
type DeclaredDim = number | string | null | undefined;

function fixed(d: DeclaredDim): number | null {
  return typeof d === 'number' && d > 0 ? d : null;
}

const isColourCount = (d: number | null) => d === 1 || d === 3;

/**
 * The input a model declares, resolved against the project's spec. `layouts` are the layouts
 * the runtime may use: TF.js models are channels-last; ONNX ones are usually channels-first
 * and are read as such unless only the last axis looks like channels.
 */
export function resolveInputShape(
  declared: readonly DeclaredDim[] | undefined,
  spec: InputSpec,
  layouts: readonly Layout[],
  what: string,
): ModelInputShape {
  if (declared === undefined || declared.length === 0) {
    return { height: spec.height, width: spec.width, channels: spec.channels, layout: 'NHWC' };
  }
  const shown = `[${declared.map((d) => (fixed(d) ?? '?').toString()).join(', ')}]`;
  const cannot = (why: string) =>
    new EmbedderLoadError(`${what} takes input ${shown}, which cannot be fed: ${why}`);
  if (declared.length !== 4) throw cannot('images go in as [batch, height, width, channels]');
  const [, d1, d2, d3] = declared.map(fixed);
  let layout: Layout | undefined;
  if (layouts.includes('NCHW') && (isColourCount(d1 ?? null) || (d1 === null && d3 === null))) {
    layout = 'NCHW';
  } else if (layouts.includes('NHWC') && (d3 === null || isColourCount(d3 ?? null))) {
    layout = 'NHWC';
  }
  if (layout === undefined) {
    throw cannot(`the channel axis must be 1 or 3 (${layouts.join(' or ')})`);
  }
  const [c, h, w] = layout === 'NCHW' ? [d1, d2, d3] : [d3, d1, d2];
  return {
    height: h ?? spec.height,
    width: w ?? spec.width,
    channels: c === 1 || c === 3 ? c : spec.channels,
    layout,
  };
}

/** n rows of the project's pixels → the model's input batch (float32, in `shape`'s layout). */
export function toModelInput(
  tf: TensorFlow,
  pixels: Uint8Array,
  n: number,
  spec: InputSpec,
  shape: ModelInputShape,
  range: InputRange,
): Tensor4D {
  return tf.tidy(() => {
    let x: Tensor4D = tf.tensor4d(pixels, [n, spec.height, spec.width, spec.channels], 'float32');
    if (shape.channels === 3 && spec.channels === 1) {
      x = tf.tile(x, [1, 1, 1, 3]);
    } else if (shape.channels === 1 && spec.channels === 3) {
      x = tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), -1, true);
    }
    if (shape.height !== spec.height || shape.width !== spec.width) {
      x = tf.image.resizeBilinear(x, [shape.height, shape.width], false, true);
    }
    const { div, sub } = SCALE[range];
    if (div !== 1) x = tf.div(x, div);
    if (sub !== 0) x = tf.sub(x, sub);
    return shape.layout === 'NCHW' ? tf.transpose(x, [0, 3, 1, 2]) : x;
  });
}

/** A model's output for n rows → n × dim unit-length rows (feature maps pooled). */
export function toUnitRows(tf: TensorFlow, output: Tensor, layout: Layout): Tensor2D {
  return tf.tidy(() => {
    const n = output.shape[0];
    let rows: Tensor;
    if (output.rank === 4) rows = tf.mean(output, layout === 'NCHW' ? [2, 3] : [1, 2]);
    else if (output.rank === 3) rows = tf.mean(output, 1);
    else rows = output;
    const flat = tf.reshape<Rank.R2>(tf.cast(rows, 'float32'), [n, -1]);
    return tf.div(flat, tf.maximum(tf.norm(flat, 'euclidean', 1, true), 1e-12));
  });
}

/** Input values per batch: a 224×224 RGB backbone runs 13 images at a time, a 16×16 one 256. */
const BATCH_INPUT_VALUES = 1 << 21;
const MAX_BATCH = 256;

export function rowsPerBatch(shape: ModelInputShape): number {
  const perRow = shape.height * shape.width * shape.channels;
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(BATCH_INPUT_VALUES / perRow)));
}

/**
 * Embeds n rows batch by batch: `run` gets one batch of the project's pixels and answers its
 * unit-length rows (dim each).
 */
export async function embedInBatches(
  pixels: Uint8Array,
  n: number,
  spec: InputSpec,
  o: {
    batch: number;
    dim: number;
    run: (batch: Uint8Array, rows: number) => Promise<Float32Array>;
  },
): Promise<Float32Array> {
  const rowLength = featureLength(spec);
  if (pixels.length !== n * rowLength) {
    throw new Error(`expected ${n} rows of ${rowLength} pixels, got ${pixels.length} values`);
  }
  const out = new Float32Array(n * o.dim);
  for (let start = 0; start < n; start += o.batch) {
    const rows = Math.min(o.batch, n - start);
    const batch = pixels.subarray(start * rowLength, (start + rows) * rowLength);
    const embedded = await o.run(batch, rows);
    if (embedded.length !== rows * o.dim) {
      throw new Error(`the model answered ${embedded.length} values for ${rows} × ${o.dim}`);
    }
    out.set(embedded, start * o.dim);
  }
  return out;
}
