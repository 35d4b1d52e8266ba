import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

interface BmpEncoder {
  encode: (image: { data: Buffer; width: number; height: number }) => { data: Buffer };
}
const bmpJs = createRequire(import.meta.url)('bmp-js') as BmpEncoder;

export interface WrittenImage {
  relativePath: string;
  width: number;
  height: number;
}

/** A deterministic noisy RGB picture, so every format compresses it into distinct bytes. */
function pixels(width: number, height: number, seed: number): Buffer {
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0; i < out.length; i++) out[i] = (i * 31 + seed * 17) % 251;
  return out;
}

function rgbImage(width: number, height: number, seed: number): sharp.Sharp {
  return sharp(pixels(width, height, seed), { raw: { width, height, channels: 3 } });
}

async function put(root: string, relativePath: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(root, relativePath)), { recursive: true });
  await writeFile(path.join(root, relativePath), data);
}

/** One valid image per accepted format, each with its own size, some in nested folders. */
export async function writeValidImages(root: string): Promise<WrittenImage[]> {
  const bmpWidth = 45; // odd: exercises BMP row padding
  const bmpHeight = 35;
  const abgr = Buffer.alloc(bmpWidth * bmpHeight * 4, 0x7f);
  const files: [WrittenImage, Promise<Buffer> | Buffer][] = [
    [{ relativePath: 'a.png', width: 40, height: 30 }, rgbImage(40, 30, 1).png().toBuffer()],
    [
      { relativePath: 'nested/photo.JPG', width: 41, height: 31 },
      rgbImage(41, 31, 2).jpeg().toBuffer(),
    ],
    [{ relativePath: 'nested/c.gif', width: 42, height: 32 }, rgbImage(42, 32, 3).gif().toBuffer()],
    [
      { relativePath: 'nested/deeper/d.tiff', width: 43, height: 33 },
      rgbImage(43, 33, 4).tiff().toBuffer(),
    ],
    [{ relativePath: 'e.webp', width: 44, height: 34 }, rgbImage(44, 34, 5).webp().toBuffer()],
    [
      { relativePath: 'f.bmp', width: bmpWidth, height: bmpHeight },
      bmpJs.encode({ data: abgr, width: bmpWidth, height: bmpHeight }).data,
    ],
  ];
  for (const [image, data] of files) await put(root, image.relativePath, await data);
  return files.map(([image]) => image);
}

/** A PNG cut in half (perfect header, missing pixels) and a text file named like a PNG. */
export async function writeCorruptImages(root: string): Promise<string[]> {
  const png = await rgbImage(50, 50, 9).png().toBuffer();
  await put(root, 'broken/truncated.png', png.subarray(0, Math.floor(png.length / 2)));
  await put(root, 'x.png', Buffer.from('this is not an image\n'));
  return ['broken/truncated.png', 'x.png'];
}

/** A file the importer must ignore (not an image extension). */
export async function writeNonImage(root: string): Promise<string> {
  await put(root, 'notes.txt', Buffer.from('hello\n'));
  return 'notes.txt';
}

export async function writePng(root: string, relativePath: string, seed: number): Promise<void> {
  await put(root, relativePath, await rgbImage(20, 10, seed).png().toBuffer());
}
