/**
 * The page of a multi-page image a project chose (imagePage.ts), as the 8-bit sharp pipeline
 * both the image server and the model's features start from, so labellers and the model see
 * the same plane under the same stretch.
 */
import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from 'sharp';
import type { ImagePage } from './imagePage';
import {
  isWideDepth,
  needsStretch,
  stretchSamples,
  stretchTo8Bit,
  viewAs,
  type WideArray,
} from './stretchImage';

/** One page, 8-bit (stretched when wider), EXIF orientation applied. */
async function openOne(
  buf: Buffer,
  meta: Metadata,
  options: SharpOptions,
  wantedSide: number | undefined,
): Promise<Sharp> {
  return (await stretchTo8Bit(buf, meta, options, wantedSide)) ?? sharp(buf, options).autoOrient();
}

/** The page's samples at the depth of `meta` (the first page's), interleaved. */
async function pageSamples(
  buf: Buffer,
  meta: Metadata,
  options: SharpOptions,
): Promise<{ samples: WideArray | Uint8Array; info: OutputInfo }> {
  const image = sharp(buf, options).autoOrient();
  if (needsStretch(meta) && isWideDepth(meta.depth)) {
    const { data, info } = await image
      .toColourspace(meta.space)
      .raw({ depth: meta.depth })
      .toBuffer({ resolveWithObject: true });
    return { samples: viewAs(meta.depth, data), info };
  }
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { samples: data, info };
}

/** Whether page `other` can join a projection of pages like `first`. */
function samePlane(first: Metadata, other: Metadata): boolean {
  return (
    other.width === first.width &&
    other.height === first.height &&
    other.channels === first.channels &&
    other.depth === first.depth
  );
}

/**
 * The per-pixel maximum over the pages the size, channels and depth of the first: a pyramid's
 * smaller levels or a thumbnail page are left out. Wide samples are stretched after the
 * maximum, so the projection gets one stretch, as a single page does.
 */
async function maxProjection(
  buf: Buffer,
  meta: Metadata,
  pages: number,
  options: SharpOptions,
): Promise<Sharp> {
  const { samples: max, info } = await pageSamples(buf, meta, { ...options, page: 0 });
  for (let page = 1; page < pages; page++) {
    const pageOptions = { ...options, page };
    if (!samePlane(meta, await sharp(buf, pageOptions).metadata())) continue;
    const { samples } = await pageSamples(buf, meta, pageOptions);
    if (samples.length !== max.length) continue;
    for (let i = 0; i < max.length; i++) {
      const v = samples[i] ?? 0;
      const m = max[i] ?? 0;
      // A NaN (float TIFFs) loses to any number.
      if (v > m || Number.isNaN(m)) max[i] = v;
    }
  }
  if (max instanceof Uint8Array || !isWideDepth(meta.depth)) {
    return sharp(max, { raw: { width: info.width, height: info.height, channels: info.channels } });
  }
  return stretchSamples(max, meta.depth, info, meta.hasAlpha);
}

/**
 * `page` of the image whose (first page's) metadata is `meta`, as an 8-bit pipeline that the
 * caller resizes to at most `wantedSide` (a hint: the pipeline may come at any size down to it;
 * undefined: whole). A page index past an image's last page shows its last page (a project of
 * stacks with a few shorter ones must not lose those); 'max' of a single-page image is that page.
 */
export async function openPage(
  buf: Buffer,
  meta: Metadata,
  page: ImagePage,
  options: SharpOptions,
  wantedSide?: number,
): Promise<Sharp> {
  const pages = meta.pages ?? 1;
  if (page === 'max' && pages > 1) return maxProjection(buf, meta, pages, options);
  const index = page === 'max' ? 0 : Math.min(page, pages - 1);
  if (index === 0) return openOne(buf, meta, options, wantedSide);
  const pageOptions = { ...options, page: index };
  return openOne(buf, await sharp(buf, pageOptions).metadata(), pageOptions, wantedSide);
}
