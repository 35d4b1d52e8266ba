/** File name endings the importer takes, lower-case; anything else in the folder is ignored. */
export const IMAGE_EXTENSIONS = [
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.tif',
  '.tiff',
  '.webp',
  '.bmp',
] as const;

const EXTENSIONS = new Set<string>(IMAGE_EXTENSIONS);

export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && EXTENSIONS.has(name.slice(dot).toLowerCase());
}
