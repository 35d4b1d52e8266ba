import { z } from 'zod';

/** Formats a thumbnail is encoded in; what the image route can hand any browser. */
export type ThumbnailFormat = 'png' | 'jpeg' | 'webp';

const EXTENSION_FORMAT: Record<string, ThumbnailFormat> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  webp: 'webp',
};
const FORMAT_EXTENSION: Record<ThumbnailFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };
/** Originals that resize losslessly (resizeImage keeps them PNG); everything else is a photo. */
const LOSSLESS_ORIGINALS = new Set(['png', 'gif', 'bmp']);

/**
 * A project's thumbnail suffix, in one of Lightly's two spellings:
 * - a template with `[filename]` (the original's name without extension) and optionally
 *   `[extension]`, relative to the original's folder: Lightly's default
 *   `.lightly/thumbnails/[filename]_thumb.[extension]`;
 * - a plain suffix added to the name without its extension: `_thumb` (photo.jpg →
 *   photo_thumb.jpg) or, with an extension of its own, `.thumb.webp` (photo.thumb.webp).
 * Where no extension is given, the thumbnail is PNG for lossless originals (png, gif, bmp) and
 * JPEG for the rest, like the resized images the route serves.
 */
export const ThumbnailSuffixSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !s.startsWith('/') && !s.includes('\\'), 'must be a relative name')
  .refine((s) => !s.split('/').includes('..'), 'must not contain ..')
  .refine((s) => s.includes('[filename]') || !s.includes('/'), 'a suffix with / needs [filename]');

function fixedFormat(name: string): ThumbnailFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext === undefined ? undefined : EXTENSION_FORMAT[ext];
}

function splitName(relativePath: string): { dir: string; stem: string; ext: string } {
  const slash = relativePath.lastIndexOf('/');
  const dir = relativePath.slice(0, slash + 1);
  const name = relativePath.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0
    ? { dir, stem: name.slice(0, dot), ext: name.slice(dot + 1).toLowerCase() }
    : { dir, stem: name, ext: '' };
}

export interface ThumbnailLocation {
  /** Below the datasource root, like the original's relative path. */
  relativePath: string;
  format: ThumbnailFormat;
}

/** Where the thumbnail of an original (path relative to its root) lives under the suffix. */
export function thumbnailLocation(originalRelativePath: string, suffix: string): ThumbnailLocation {
  const { dir, stem, ext } = splitName(originalRelativePath);
  const natural: ThumbnailFormat = LOSSLESS_ORIGINALS.has(ext) ? 'png' : 'jpeg';
  if (suffix.includes('[filename]')) {
    const withExtension = suffix.replaceAll('[extension]', FORMAT_EXTENSION[natural]);
    const name = withExtension.replaceAll('[filename]', stem);
    return { relativePath: dir + name, format: fixedFormat(withExtension) ?? natural };
  }
  const fixed = fixedFormat(suffix);
  return fixed
    ? { relativePath: `${dir}${stem}${suffix}`, format: fixed }
    : { relativePath: `${dir}${stem}${suffix}.${FORMAT_EXTENSION[natural]}`, format: natural };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Recognises thumbnails written under a suffix, so re-importing a prefix that holds them does
 * not import every thumbnail as a new image.
 */
export function thumbnailMatcher(suffix: string): (relativePath: string) => boolean {
  const anyExtension = '(?:png|jpg)';
  let pattern: string;
  if (suffix.includes('[filename]')) {
    pattern = escapeRegExp(suffix)
      .replaceAll('\\[filename\\]', '[^/]+')
      .replaceAll('\\[extension\\]', anyExtension);
  } else {
    pattern = `[^/]+${escapeRegExp(suffix)}${fixedFormat(suffix) ? '' : `\\.${anyExtension}`}`;
  }
  const regex = new RegExp(`(?:^|/)${pattern}$`);
  return (relativePath) => regex.test(relativePath);
}
