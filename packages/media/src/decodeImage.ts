import sharp, { type Sharp } from 'sharp';
import { BmpError, decodeBmp, looksLikeBmp } from './bmp';
import { DEFAULT_IMAGE_PAGE, type ImagePage } from './imagePage';
import { openPage } from './openPage';

/** Raster formats the labeller accepts; decided by content, not by the file name. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'tiff' | 'webp' | 'bmp';

const SHARP_FORMATS = new Set<string>(['png', 'jpeg', 'gif', 'tiff', 'webp']);

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

export interface ImageInfo {
  format: ImageFormat;
  /** As displayed: after the EXIF orientation is applied. */
  width: number;
  height: number;
}

/**
 * failOn 'warning' (sharp's default, spelled out because it matters): with sharp 0.34,
 * 'truncated' lets a TIFF cut at 90% through, while 'warning' rejects truncated PNG, JPEG,
 * GIF, TIFF and WebP alike. The image server decodes with the same default, so what passes
 * here is also what it can serve.
 */
const DECODE_OPTIONS = { failOn: 'warning' } as const;

/**
 * Full decode into a tiny thumbnail: every byte passes through the decoder (JPEG's shrink-on-load
 * still entropy-decodes all of it), but the output stays small. It is cheaper than stats(), and
 * unlike raw().toBuffer() a 50 MP photo does not put 150 MB in JS memory per worker.
 */
const VERIFY_SIDE = 32;

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // libvips repeats a line per failed read; the first says it.
  return message.split('\n')[0] ?? message;
}

/**
 * Decodes the whole image (not only its header: a truncated file has a perfect header) and
 * returns its format and size. Throws ImageDecodeError with a short reason.
 */
export async function inspectImage(buf: Buffer): Promise<ImageInfo> {
  if (looksLikeBmp(buf)) {
    try {
      const { width, height } = decodeBmp(buf);
      return { format: 'bmp', width, height };
    } catch (err) {
      if (err instanceof BmpError) throw new ImageDecodeError(err.message);
      throw err;
    }
  }
  try {
    const image = sharp(buf, DECODE_OPTIONS);
    const meta = await image.metadata();
    if (!SHARP_FORMATS.has(meta.format)) {
      throw new ImageDecodeError(`unsupported image format ${meta.format}`);
    }
    await image
      .resize(VERIFY_SIDE, VERIFY_SIDE, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer();
    return {
      format: meta.format as ImageFormat,
      width: meta.autoOrient.width,
      height: meta.autoOrient.height,
    };
  } catch (err) {
    if (err instanceof ImageDecodeError) throw err;
    throw new ImageDecodeError(reasonOf(err));
  }
}

/**
 * A sharp pipeline of 8-bit pixels for any accepted image: BMP handed to sharp as raw pixels,
 * images wider than 8 bits (16-bit and float TIFFs, 16-bit PNGs) stretched per channel
 * (stretchImage.ts) the same way the image server shows them, everything else as decoded; of a
 * multi-page image, the project's `page` (openPage.ts). `wantedSide`: the longest side the caller
 * will resize to, so a wide image is decoded no larger than needed (undefined: whole).
 */
export async function openImage(
  buf: Buffer,
  page: ImagePage = DEFAULT_IMAGE_PAGE,
  wantedSide?: number,
): Promise<Sharp> {
  if (looksLikeBmp(buf)) {
    const { width, height, rgba } = decodeBmp(buf);
    return sharp(rgba, { raw: { width, height, channels: 4 } });
  }
  const meta = await sharp(buf, DECODE_OPTIONS).metadata();
  return openPage(buf, meta, page, DECODE_OPTIONS, wantedSide);
}
