/**
 * Label-free image transforms tried in front of the pool PCA (coldStartEmbeddings.ts), each
 * uint8 rows in → uint8 rows out so the product's fitPca/projectPca take them unchanged.
 * Every one is generic (any size, grey or colour; nothing about a particular data set) and a
 * few passes over the pixels in plain JS: 4,000 32×32×3 images take well under a second.
 */
import type { InputSpec } from '../src/features/inputSpec';

const clampByte = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/**
 * Each image standardised by its own mean and standard deviation per channel (removes the
 * global brightness, contrast and colour cast), then re-quantised around 128 at 32 levels per
 * standard deviation (±4σ fit in a byte).
 */
export function standardisePerImage(pixels: Uint8Array, n: number, spec: InputSpec): Uint8Array {
  const { channels: c } = spec;
  const hw = spec.width * spec.height;
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < n; i++) {
    const base = i * hw * c;
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      let sq = 0;
      for (let p = 0; p < hw; p++) {
        const v = pixels[base + p * c + ch] ?? 0;
        sum += v;
        sq += v * v;
      }
      const mean = sum / hw;
      // floor of 2 grey levels: a flat channel stays flat instead of amplifying its noise
      const std = Math.max(Math.sqrt(Math.max(sq / hw - mean * mean, 0)), 2);
      for (let p = 0; p < hw; p++) {
        const at = base + p * c + ch;
        out[at] = clampByte(128 + (32 * ((pixels[at] ?? 0) - mean)) / std);
      }
    }
  }
  return out;
}

/**
 * Horizontal and vertical Sobel responses of one image (pixels in [0, 1]), per pixel those of
 * the channel with the largest magnitude (Dalal & Triggs' rule for colour), borders replicated.
 */
function sobel(
  pixels: Uint8Array,
  base: number,
  spec: InputSpec,
  gx: Float32Array,
  gy: Float32Array,
) {
  const { width: w, height: h, channels: c } = spec;
  const at = (x: number, y: number, ch: number) =>
    (pixels[
      base + ((Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))) * c + ch)
    ] ?? 0) / 255;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let best = -1;
      for (let ch = 0; ch < c; ch++) {
        const dx =
          at(x + 1, y - 1, ch) +
          2 * at(x + 1, y, ch) +
          at(x + 1, y + 1, ch) -
          (at(x - 1, y - 1, ch) + 2 * at(x - 1, y, ch) + at(x - 1, y + 1, ch));
        const dy =
          at(x - 1, y + 1, ch) +
          2 * at(x, y + 1, ch) +
          at(x + 1, y + 1, ch) -
          (at(x - 1, y - 1, ch) + 2 * at(x, y - 1, ch) + at(x + 1, y - 1, ch));
        const m = dx * dx + dy * dy;
        if (m > best) {
          best = m;
          gx[y * w + x] = dx;
          gy[y * w + x] = dy;
        }
      }
    }
  }
}

/** Quantiles are estimated on at most this many values (a stride through the array). */
const QUANTILE_SAMPLE = 200_000;

/** values / (their 99.5th percentile) as bytes: the scale follows the data, not a constant. */
function quantiseByPercentile(values: Float32Array): Uint8Array {
  const stride = Math.max(1, Math.floor(values.length / QUANTILE_SAMPLE));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += stride) sample.push(values[i] ?? 0);
  sample.sort((a, b) => a - b);
  const top = Math.max(sample[Math.floor(0.995 * (sample.length - 1))] ?? 0, 1e-6);
  return Uint8Array.from(values, (v) => clampByte((255 * v) / top));
}

/** Sobel gradient magnitude images (width × height, one channel), quantised per data set. */
export function gradientMagnitude(pixels: Uint8Array, n: number, spec: InputSpec): Uint8Array {
  const hw = spec.width * spec.height;
  const gx = new Float32Array(hw);
  const gy = new Float32Array(hw);
  const mag = new Float32Array(n * hw);
  for (let i = 0; i < n; i++) {
    sobel(pixels, i * hw * spec.channels, spec, gx, gy);
    for (let p = 0; p < hw; p++) mag[i * hw + p] = Math.hypot(gx[p] ?? 0, gy[p] ?? 0);
  }
  return quantiseByPercentile(mag);
}

/** 2×2 area averages (odd last row/column dropped): a quarter of the inputs. */
export function halfResolution(pixels: Uint8Array, n: number, spec: InputSpec): Uint8Array {
  const { width: w, height: h, channels: c } = spec;
  const w2 = Math.floor(w / 2);
  const h2 = Math.floor(h / 2);
  const out = new Uint8Array(n * w2 * h2 * c);
  for (let i = 0; i < n; i++) {
    const src = i * w * h * c;
    const dst = i * w2 * h2 * c;
    for (let y = 0; y < h2; y++) {
      for (let x = 0; x < w2; x++) {
        for (let ch = 0; ch < c; ch++) {
          const p = (dy: number, dx: number) =>
            pixels[src + ((2 * y + dy) * w + 2 * x + dx) * c + ch] ?? 0;
          out[dst + (y * w2 + x) * c + ch] = clampByte((p(0, 0) + p(0, 1) + p(1, 0) + p(1, 1)) / 4);
        }
      }
    }
  }
  return out;
}

/** Row i of the result is row i of a followed by row i of b. */
export function concatRows(a: Uint8Array, b: Uint8Array, n: number): Uint8Array {
  const la = a.length / n;
  const lb = b.length / n;
  const out = new Uint8Array(n * (la + lb));
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * la, (i + 1) * la), i * (la + lb));
    out.set(b.subarray(i * lb, (i + 1) * lb), i * (la + lb) + la);
  }
  return out;
}

const HOG_BINS = 9;
/** About 8 cells across the shorter side (28 → 4 px cells, 32 → 4 px, 64 → 8 px). */
const HOG_CELLS_ACROSS = 8;
const HOG_CLIP = 0.2;

/** Orientation histograms (unsigned, 9 bins, votes split between the two nearest) per cell. */
function hogCells(gx: Float32Array, gy: Float32Array, spec: InputSpec, cell: number) {
  const cw = Math.floor(spec.width / cell);
  const ch = Math.floor(spec.height / cell);
  const hist = new Float32Array(cw * ch * HOG_BINS);
  for (let y = 0; y < ch * cell; y++) {
    for (let x = 0; x < cw * cell; x++) {
      const dx = gx[y * spec.width + x] ?? 0;
      const dy = gy[y * spec.width + x] ?? 0;
      const mag = Math.hypot(dx, dy);
      if (mag === 0) continue;
      const angle = ((Math.atan2(dy, dx) + Math.PI) % Math.PI) / Math.PI; // [0, 1)
      const pos = angle * HOG_BINS - 0.5;
      const lo = Math.floor(pos);
      const frac = pos - lo;
      const cellBase = (Math.floor(y / cell) * cw + Math.floor(x / cell)) * HOG_BINS;
      const b0 = cellBase + ((lo + HOG_BINS) % HOG_BINS);
      const b1 = cellBase + ((lo + 1) % HOG_BINS);
      hist[b0] = (hist[b0] ?? 0) + mag * (1 - frac);
      hist[b1] = (hist[b1] ?? 0) + mag * frac;
    }
  }
  return { hist, cw, ch };
}

/**
 * Histograms of oriented gradients (Dalal & Triggs): 9-bin cell histograms, 2×2-cell blocks
 * with stride one cell, each block L2-Hys normalised (normalise, clip at 0.2, normalise), as
 * bytes. Sees shape and texture through edge orientations, blind to colour and contrast.
 */
export function hog(pixels: Uint8Array, n: number, spec: InputSpec): Uint8Array {
  const hw = spec.width * spec.height;
  const cell = Math.max(2, Math.round(Math.min(spec.width, spec.height) / HOG_CELLS_ACROSS));
  const gx = new Float32Array(hw);
  const gy = new Float32Array(hw);
  const blocksX = Math.max(1, Math.floor(spec.width / cell) - 1);
  const blocksY = Math.max(1, Math.floor(spec.height / cell) - 1);
  const blockLen = 4 * HOG_BINS;
  const rowLen = blocksX * blocksY * blockLen;
  const out = new Uint8Array(n * rowLen);
  const block = new Float32Array(blockLen);
  for (let i = 0; i < n; i++) {
    sobel(pixels, i * hw * spec.channels, spec, gx, gy);
    const { hist, cw } = hogCells(gx, gy, spec, cell);
    for (let by = 0; by < blocksY; by++) {
      for (let bx = 0; bx < blocksX; bx++) {
        [0, 1, 2, 3].forEach((q) => {
          const from = ((by + (q >> 1)) * cw + bx + (q & 1)) * HOG_BINS;
          block.set(hist.subarray(from, from + HOG_BINS), q * HOG_BINS);
        });
        normaliseL2Hys(block);
        const at = i * rowLen + (by * blocksX + bx) * blockLen;
        for (let k = 0; k < blockLen; k++) out[at + k] = clampByte(255 * (block[k] ?? 0));
      }
    }
  }
  return out;
}

function normaliseL2Hys(v: Float32Array): void {
  for (let pass = 0; pass < 2; pass++) {
    let sq = 0;
    for (const x of v) sq += x * x;
    const scale = 1 / Math.sqrt(sq + 1e-6);
    for (let k = 0; k < v.length; k++) {
      const x = (v[k] ?? 0) * scale;
      v[k] = pass === 0 ? Math.min(x, HOG_CLIP) : x;
    }
  }
}
