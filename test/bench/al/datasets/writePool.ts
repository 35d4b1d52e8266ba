/**
 * Writes the pool as PNG files into one flat folder, named by pool position only (the pool is
 * already shuffled), so neither the path nor the folder tells the system an image's class.
 * Returns the sha256 of every file: the server's image ETag starts with it (see labellers).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { BenchDataset, RawImage } from './types';

export function poolFileName(i: number): string {
  return `img-${String(i).padStart(5, '0')}.png`;
}

/** The PNG file of an image: what the system imports, and what its models' tests decode. */
export function encodePng(img: RawImage): Promise<Buffer> {
  return sharp(Buffer.from(img.data), {
    raw: { width: img.width, height: img.height, channels: img.channels },
  })
    .png()
    .toBuffer();
}

export async function writePool(ds: BenchDataset, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const hashes: string[] = [];
  for (let i = 0; i < ds.pool.n; i++) {
    const png = await encodePng(ds.poolImage(i));
    await writeFile(path.join(dir, poolFileName(i)), png);
    hashes.push(createHash('sha256').update(png).digest('hex'));
  }
  return hashes;
}
