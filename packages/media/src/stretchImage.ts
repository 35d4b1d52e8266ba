/**
 * High-bit-depth images (16-bit microscopy TIFFs, float TIFFs, 16-bit PNGs) mapped to 8 bits
 * with a per-channel percentile stretch. libvips casts them by dividing by 256, so a 16-bit
 * field of cells at 1000..4000 of 65535 shows at 4..16 of 255: nearly black. Both the display
 * (resizeImage) and the model's features (openImage → decodeFeatures) go through
 * `stretchTo8Bit`, so labellers and the model see the same normalisation. 8-bit images are left
 * to the callers' existing pipelines, byte for byte.
 *
 * The percentiles of an image are taken once, from the image fitted inside WORK_SIDE², and
 * remembered (by content and page), so every display size and the features use the same
 * mapping; that same decode also serves every output up to WORK_SIDE, so a microscope's
 * 4096×4096 field is decoded once for its first preview, not once for the statistics and again
 * for the picture.
 */
import { createHash } from 'node:crypto';
import sharp, { type Channels, type Metadata, type Sharp, type SharpOptions } from 'sharp';

/** Percentiles of each channel that map to 0 and 255 (clipping the outliers: hot pixels, dust). */
export const STRETCH_LOW_PERCENTILE = 0.5;
export const STRETCH_HIGH_PERCENTILE = 99.5;

/**
 * Percentiles come from at most this many pixels per channel (a regular grid over the working
 * image), so a sort costs 512×512 values whatever the image's size.
 */
const STATS_SIDE = 512;

/**
 * The working image the percentiles are taken from, and that outputs up to this side (the
 * labelling page's previews, the model's features) are resized from.
 */
const WORK_SIDE = 1024;

/** Bounds remembered per image and page: a few hundred bytes each. */
const MAX_REMEMBERED_BOUNDS = 10_000;

/** Sample types wider than 8 bits, as sharp's metadata spells them. */
export type WideDepth = 'ushort' | 'short' | 'uint' | 'int' | 'float' | 'double';

export type WideArray =
  Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

type View = (b: ArrayBufferLike, offset: number, length: number) => WideArray;

const WIDE_ARRAYS: Record<WideDepth, { bytes: number; view: View }> = {
  ushort: { bytes: 2, view: (b, o, n) => new Uint16Array(b, o, n) },
  short: { bytes: 2, view: (b, o, n) => new Int16Array(b, o, n) },
  uint: { bytes: 4, view: (b, o, n) => new Uint32Array(b, o, n) },
  int: { bytes: 4, view: (b, o, n) => new Int32Array(b, o, n) },
  float: { bytes: 4, view: (b, o, n) => new Float32Array(b, o, n) },
  double: { bytes: 8, view: (b, o, n) => new Float64Array(b, o, n) },
};

/** An alpha channel is not data to stretch: it keeps its type's full range (float: 0..1). */
const ALPHA_RANGE: Record<WideDepth, number> = {
  ushort: 65535,
  short: 32767,
  uint: 4294967295,
  int: 2147483647,
  float: 1,
  double: 1,
};

/**
 * Colour spaces whose channels are plain intensities, so a per-channel stretch means something.
 * CMYK and Lab (16-bit 'labs') keep libvips's own conversion.
 */
const STRETCHABLE_SPACES = new Set<string>(['grey16', 'rgb16', 'b-w', 'srgb', 'rgb', 'multiband']);

/** Grey, grey+alpha, RGB, RGBA: what an 8-bit raw sharp input can carry. */
const MAX_CHANNELS = 4;

export interface ChannelBounds {
  /** Values at or below `low` become 0. */
  low: number;
  /** Values at or above `high` become 255. */
  high: number;
}

export function isWideDepth(depth: string | undefined): depth is WideDepth {
  return depth !== undefined && Object.hasOwn(WIDE_ARRAYS, depth);
}

/** Whether an image needs the stretch: samples wider than 8 bits, in a space it applies to. */
export function needsStretch(meta: Metadata): boolean {
  return (
    isWideDepth(meta.depth) &&
    STRETCHABLE_SPACES.has(meta.space) &&
    meta.channels >= 1 &&
    meta.channels <= MAX_CHANNELS
  );
}

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100). */
function percentileOfSorted(sorted: Float64Array, p: number): number {
  const index = Math.round((p / 100) * (sorted.length - 1));
  return sorted[Math.min(sorted.length - 1, Math.max(0, index))] ?? 0;
}

/**
 * One channel's finite values on a grid of at most STATS_SIDE×STATS_SIDE pixels (nearest
 * neighbour: real pixel values, not averages that would shrink the tails), sorted.
 */
function sampleChannel(
  data: WideArray,
  width: number,
  height: number,
  channels: number,
  channel: number,
): Float64Array {
  const stepX = Math.max(1, Math.ceil(width / STATS_SIDE));
  const stepY = Math.max(1, Math.ceil(height / STATS_SIDE));
  const samples = new Float64Array(Math.ceil(width / stepX) * Math.ceil(height / stepY));
  let n = 0;
  for (let y = 0; y < height; y += stepY) {
    for (let x = 0; x < width; x += stepX) {
      const v = data[(y * width + x) * channels + channel] ?? Number.NaN;
      if (Number.isFinite(v)) samples[n++] = v;
    }
  }
  return samples.subarray(0, n).sort();
}

/**
 * The 0.5 and 99.5 percentiles of each channel of interleaved pixels; an alpha channel (the last
 * one when `hasAlpha`) gets `alphaRange` instead. Exported for its test.
 */
export function stretchBounds(
  data: WideArray,
  info: { width: number; height: number; channels: number },
  hasAlpha: boolean,
  alphaRange: number,
): ChannelBounds[] {
  const bounds: ChannelBounds[] = [];
  for (let c = 0; c < info.channels; c++) {
    if (hasAlpha && c === info.channels - 1) {
      bounds.push({ low: 0, high: alphaRange });
      continue;
    }
    const sorted = sampleChannel(data, info.width, info.height, info.channels, c);
    bounds.push({
      low: percentileOfSorted(sorted, STRETCH_LOW_PERCENTILE),
      high: percentileOfSorted(sorted, STRETCH_HIGH_PERCENTILE),
    });
  }
  return bounds;
}

/** The 8-bit value of one sample: linear between the bounds, clipped outside, NaN → 0. */
function stretchValue(v: number, low: number, high: number, scale: number): number {
  if (!(v > low)) return 0; // at/below low, or NaN
  return v >= high ? 255 : Math.round((v - low) * scale);
}

/**
 * Interleaved wide samples → 8-bit, linear between each channel's bounds and clipped outside.
 * A flat channel (high ≤ low) becomes 0 where it is at or below low and 255 above; NaN → 0.
 * (A 65536-entry table for 16-bit samples measured no faster here: the loop is memory-bound.)
 */
export function mapTo8Bit(data: WideArray, channels: number, bounds: ChannelBounds[]): Buffer {
  const out = Buffer.alloc(data.length);
  for (let c = 0; c < channels; c++) {
    const { low, high } = bounds[c] ?? { low: 0, high: 0 };
    const scale = high > low ? 255 / (high - low) : Number.POSITIVE_INFINITY;
    for (let i = c; i < data.length; i += channels) {
      out[i] = stretchValue(data[i] ?? Number.NaN, low, high, scale);
    }
  }
  return out;
}

/** The decoder's buffer as a typed array of its depth, without copying unless misaligned. */
export function viewAs(depth: WideDepth, buf: Buffer): WideArray {
  const { bytes, view } = WIDE_ARRAYS[depth];
  const length = Math.floor(buf.byteLength / bytes);
  if (buf.byteOffset % bytes === 0) return view(buf.buffer, buf.byteOffset, length);
  const copy = new ArrayBuffer(length * bytes);
  new Uint8Array(copy).set(buf.subarray(0, copy.byteLength));
  return view(copy, 0, length);
}

/** Interleaved wide samples mapped between `bounds` as an 8-bit raw pipeline. */
function mappedPipeline(
  samples: WideArray,
  info: { width: number; height: number; channels: Channels },
  bounds: ChannelBounds[],
): Sharp {
  return sharp(mapTo8Bit(samples, info.channels, bounds), {
    raw: { width: info.width, height: info.height, channels: info.channels },
  });
}

/**
 * Decoded wide samples (interleaved, as sharp's raw output of `depth`) as an 8-bit pipeline,
 * each channel stretched between its own percentiles of these samples; an alpha channel keeps
 * its type's full range.
 */
export function stretchSamples(
  samples: WideArray,
  depth: WideDepth,
  info: { width: number; height: number; channels: Channels },
  hasAlpha: boolean,
): Sharp {
  return mappedPipeline(samples, info, stretchBounds(samples, info, hasAlpha, ALPHA_RANGE[depth]));
}

/** Each channel's bounds by image content and page, oldest forgotten first. */
const rememberedBounds = new Map<string, ChannelBounds[]>();

function boundsKey(buf: Buffer, options: SharpOptions): string {
  return `${createHash('sha1').update(buf).digest('base64')}:${String(options.page ?? 0)}`;
}

function remember(key: string, bounds: ChannelBounds[]): void {
  rememberedBounds.set(key, bounds);
  if (rememberedBounds.size > MAX_REMEMBERED_BOUNDS) {
    const oldest = rememberedBounds.keys().next();
    if (oldest.done !== true) rememberedBounds.delete(oldest.value);
  }
}

/** The page decoded at its own depth, fitted inside side² (never enlarged), or whole. */
async function decodeWide(
  buf: Buffer,
  meta: Metadata,
  depth: WideDepth,
  options: SharpOptions,
  side: number | undefined,
) {
  // toColourspace(own space): sharp otherwise converts to 8-bit sRGB before handing out raw.
  let image = sharp(buf, options).autoOrient().toColourspace(meta.space);
  if (side !== undefined) {
    image = image.resize(side, side, { fit: 'inside', withoutEnlargement: true });
  }
  const { data, info } = await image.raw({ depth }).toBuffer({ resolveWithObject: true });
  return { samples: viewAs(depth, data), info };
}

/**
 * For an image with samples wider than 8 bits: an 8-bit sharp pipeline of it (EXIF orientation
 * applied; the page `options` name, else the first), each channel stretched between its 0.5 and
 * 99.5 percentiles, at least `wantedSide` px on its longer side where the image has that many
 * (whole when undefined): callers resize it to what they show. Returns null for everything else
 * (8-bit images, CMYK, Lab), which callers decode as before. `meta` is the caller's sharp
 * metadata of that page, so the header is parsed once.
 */
export async function stretchTo8Bit(
  buf: Buffer,
  meta: Metadata,
  options: SharpOptions = {},
  wantedSide?: number,
): Promise<Sharp | null> {
  if (!needsStretch(meta) || !isWideDepth(meta.depth)) return null;
  const depth = meta.depth;
  const key = boundsKey(buf, options);
  const known = rememberedBounds.get(key);
  const fromWork = wantedSide !== undefined && wantedSide <= WORK_SIDE;
  if (known && !fromWork) {
    const { samples, info } = await decodeWide(buf, meta, depth, options, wantedSide);
    return mappedPipeline(samples, info, known);
  }
  const work = await decodeWide(buf, meta, depth, options, WORK_SIDE);
  const bounds = known ?? stretchBounds(work.samples, work.info, meta.hasAlpha, ALPHA_RANGE[depth]);
  remember(key, bounds);
  if (fromWork) return mappedPipeline(work.samples, work.info, bounds);
  const { samples, info } = await decodeWide(buf, meta, depth, options, wantedSide);
  return mappedPipeline(samples, info, bounds);
}
