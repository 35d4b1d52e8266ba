/**
 * Which page of a multi-page image (a TIFF stack, an OME-TIFF's planes, a GIF's frames) a
 * project shows and learns from: a page index (0, the first, by default) or 'max', the
 * per-pixel maximum over every page the size of the first (a maximum-intensity projection,
 * the usual way to show a z-stack in one picture). Stored in projects.image_page as text.
 */
import { z } from 'zod';

export type ImagePage = number | 'max';

export const DEFAULT_IMAGE_PAGE: ImagePage = 0;

/** The highest page index a project may choose; the column's check allows four digits. */
export const MAX_PAGE_INDEX = 9999;

export const ImagePageSchema = z.union([z.int().min(0).max(MAX_PAGE_INDEX), z.literal('max')]);

/** The projects.image_page text of a page. */
export function imagePageColumn(page: ImagePage): string {
  return String(page);
}

/** A projects.image_page value as a page; anything the column's check would refuse throws. */
export function imagePageOfColumn(text: string): ImagePage {
  return ImagePageSchema.parse(text === 'max' ? text : Number(text));
}

/** A page given on a command line or in a query: 'max' or a page index. */
export const ImagePageTextSchema = z.string().transform((s, ctx): ImagePage => {
  const parsed = ImagePageSchema.safeParse(/^\d+$/.test(s) ? Number(s) : s);
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: `must be max or a page index 0..${MAX_PAGE_INDEX}` });
  return z.NEVER;
});
