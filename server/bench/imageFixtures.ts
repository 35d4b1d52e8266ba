import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { TestS3 } from '@al/media/testing';
import { createLocalFolderDatasource } from '@al/media';
import { mapWithConcurrency } from '../src/importer/mapWithConcurrency';

/** Files per sub-folder, as camera rolls and dataset dumps tend to be split. */
const PER_FOLDER = 1_000;

/** `count` distinct 32×32 PNGs (a few hundred bytes each), like MNIST-sized crops. */
export async function writeSmallImages(dir: string, count: number): Promise<void> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  await mapWithConcurrency(indexes, 4, async (i) => {
    const folder = path.join(dir, `part-${String(Math.floor(i / PER_FOLDER)).padStart(3, '0')}`);
    if (i % PER_FOLDER === 0) await mkdir(folder, { recursive: true });
    const body = await sharp({
      create: {
        width: 32,
        height: 32,
        channels: 3,
        background: { r: i % 256, g: Math.floor(i / 256) % 256, b: (i * 7) % 256 },
      },
    })
      .png()
      .toBuffer();
    await writeFile(path.join(folder, `img-${String(i).padStart(6, '0')}.png`), body);
  });
}

/** A 1024×768 JPEG with texture (so it compresses like a photo, ~100-200 kB). */
export async function photoJpeg(seed: number, width = 1024, height = 768): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 13 + seed * 31 + (i >> 9)) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

export async function writePhotos(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    await writeFile(path.join(dir, `photo-${String(i).padStart(4, '0')}.jpg`), await photoJpeg(i));
  }
}

/** Copies every file under `dir` into the bucket below `prefix`, 32 PUTs in flight. */
export async function uploadFolder(
  s3: TestS3,
  bucket: string,
  prefix: string,
  dir: string,
): Promise<number> {
  let uploaded = 0;
  for await (const page of createLocalFolderDatasource(dir).list()) {
    await mapWithConcurrency(page, 32, async (entry) => {
      await s3.put(bucket, `${prefix}/${entry.relativePath}`, await readFile(entry.uri));
    });
    uploaded += page.length;
  }
  return uploaded;
}
