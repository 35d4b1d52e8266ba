import { createRequire } from 'node:module';

/** bmp-js ships no types; this is the part of its API we use. */
interface BmpJs {
  decode: (buffer: Buffer) => { width: number; height: number; data: Buffer };
}
const bmpJs = createRequire(import.meta.url)('bmp-js') as BmpJs;

/** Same ceiling as sharp's default limitInputPixels, so one bad header cannot allocate gigabytes. */
const MAX_PIXELS = 0x3fff * 0x3fff;
const FILE_HEADER_BYTES = 14;
const SUPPORTED_BITS = new Set([1, 4, 8, 15, 16, 24, 32]);
const BI_RGB = 0;
const BI_BITFIELDS = 3;

export class BmpError extends Error {
  override name = 'BmpError';
}

export function looksLikeBmp(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x42 && buf[1] === 0x4d; // "BM"
}

export interface DecodedBmp {
  width: number;
  height: number;
  /** Top-down RGBA, 4 bytes a pixel. */
  rgba: Buffer;
}

/**
 * libvips (and so sharp) cannot read BMP; bmp-js can, but it reads past a short file into an
 * opaque RangeError and trusts the header's size blindly. The header is checked here first so
 * a truncated or absurd file gets a reason a person can act on.
 */
export function decodeBmp(buf: Buffer): DecodedBmp {
  if (!looksLikeBmp(buf)) throw new BmpError('not a BMP file');
  if (buf.length < FILE_HEADER_BYTES + 40) throw new BmpError('truncated BMP header');
  const pixelOffset = buf.readUInt32LE(10);
  const width = buf.readInt32LE(18);
  const height = Math.abs(buf.readInt32LE(22));
  const bits = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  if (width <= 0 || height <= 0) throw new BmpError(`invalid BMP size ${width}x${height}`);
  if (width * height > MAX_PIXELS) throw new BmpError(`BMP too large (${width}x${height})`);
  if (!SUPPORTED_BITS.has(bits)) throw new BmpError(`unsupported BMP depth ${bits} bits`);
  if (compression === BI_RGB || compression === BI_BITFIELDS) {
    // Rows are padded to 4 bytes; an uncompressed file must hold every row.
    const rowBytes = Math.ceil((bits * width) / 32) * 4;
    if (pixelOffset + rowBytes * height > buf.length) {
      throw new BmpError(
        `truncated BMP: ${buf.length} bytes, pixels need ${pixelOffset + rowBytes * height}`,
      );
    }
  }
  let decoded: ReturnType<BmpJs['decode']>;
  try {
    decoded = bmpJs.decode(buf);
  } catch (err) {
    // bmp-js signals a short RLE stream only through Buffer range errors.
    throw new BmpError(
      err instanceof RangeError ? 'truncated BMP' : `unreadable BMP: ${String(err)}`,
    );
  }
  // bmp-js gives ABGR; everything downstream wants RGBA.
  const abgr = decoded.data;
  const rgba = Buffer.allocUnsafe(abgr.length);
  for (let i = 0; i < abgr.length; i += 4) {
    rgba[i] = abgr[i + 3] ?? 0;
    rgba[i + 1] = abgr[i + 2] ?? 0;
    rgba[i + 2] = abgr[i + 1] ?? 0;
    // bmp-js reports alpha 0 for formats without alpha; treat every BMP as opaque.
    rgba[i + 3] = 255;
  }
  return { width: decoded.width, height: decoded.height, rgba };
}
