/**
 * What the model sees: every image decoded and resized to width × height with `channels`
 * (1 grey, 3 RGB) uint8 values in HWC order. A per-project setting (projects.input_spec),
 * stored with every model (artifacts meta) and part of the feature-cache key, so a project
 * that changes its input size simply decodes again under a new key and never reuses features
 * of another size.
 */
import { z } from 'zod';
import { ImagePageSchema } from '@al/media';

export const inputSpecSchema = z.strictObject({
  width: z.int().min(4).max(256),
  height: z.int().min(4).max(256),
  channels: z.union([z.literal(1), z.literal(3)]),
  /**
   * The page of multi-page images decoded (projects.image_page; absent: the first). Set from
   * the project at each retrain, so changing it decodes the pool again under a new key.
   */
  page: ImagePageSchema.optional(),
});

export type InputSpec = z.infer<typeof inputSpecSchema>;

/** MNIST-sized grey: small enough for a dense network to train on wasm in seconds. */
export const DEFAULT_INPUT_SPEC: InputSpec = { width: 28, height: 28, channels: 1 };

export function inputSpecKey(spec: InputSpec): string {
  const page = spec.page === undefined || spec.page === 0 ? '' : `:p${spec.page}`;
  return `${spec.width}x${spec.height}x${spec.channels}${page}`;
}

export function featureLength(spec: InputSpec): number {
  return spec.width * spec.height * spec.channels;
}

/** What deriveInputSpec needs to know about one of a project's first images. */
export interface ImageShape {
  width: number;
  height: number;
  /** Every pixel has R ≈ G ≈ B (or the file has one channel). */
  grey: boolean;
}

/** Longest side for images bigger than SMALL_SIDE: grey and colour. */
const GREY_SIDE = 48;
const COLOUR_SIDE = 32;
/** Images up to this size keep their own size (MNIST's 28×28 stays 28×28). */
const SMALL_SIDE = 32;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The default spec for a project, from a sample of its images. Grey unless some image has
 * colour. Small images (median sides ≤ 32) keep their median size. Bigger ones are scaled so
 * the longer side is 48 (grey) or 32 (colour), keeping the median aspect ratio: 2,304 or
 * 3,072 inputs, 3-4× MNIST's 784, so a dense network on 2,000 labels still trains in seconds
 * on wasm and the feature cache stays at ~3 kB an image (100k images: 300 MB). A dense net
 * on raw pixels gains little from more resolution (CIFAR's 32×32 colour is the usual size
 * for that); a project that needs more sets input_spec itself.
 */
export function deriveInputSpec(images: readonly ImageShape[]): InputSpec {
  if (images.length === 0) return DEFAULT_INPUT_SPEC;
  const channels = images.every((i) => i.grey) ? 1 : 3;
  const w = median(images.map((i) => i.width));
  const h = median(images.map((i) => i.height));
  const clamp = (v: number) => Math.max(4, Math.min(256, Math.round(v)));
  if (Math.max(w, h) <= SMALL_SIDE) return { width: clamp(w), height: clamp(h), channels };
  const side = channels === 1 ? GREY_SIDE : COLOUR_SIDE;
  const scale = side / Math.max(w, h);
  return { width: clamp(w * scale), height: clamp(h * scale), channels };
}
