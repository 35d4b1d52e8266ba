import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { openImage } from './decodeImage';
import { resizeImage } from './resizeImage';
import { mapTo8Bit, stretchBounds, stretchTo8Bit } from './stretchImage';
import {
  CELL_SIDE,
  cellImage16,
  cellTiff16,
  isBackground,
  isCell,
  meanOver,
  rgbCellTiff16,
} from './testing/cellImages';

/** One channel of an encoded image as 8-bit grey pixels (raw() would hand out sRGB). */
async function channelPixels(encoded: Buffer, channel: 0 | 1 | 2 = 0): Promise<Buffer> {
  return sharp(encoded).extractChannel(channel).raw().toBuffer();
}

for (const compression of ['lzw', 'deflate'] as const) {
  test(`16-bit grey ${compression} TIFF of cells: displayed stretched, not nearly black`, async () => {
    const tiff = await cellTiff16(compression);
    assert.equal((await sharp(tiff).metadata()).depth, 'ushort');
    const shown = await resizeImage(tiff, CELL_SIDE, 'png');
    const pixels = await channelPixels(shown.body);
    assert.equal(pixels.length, CELL_SIDE * CELL_SIDE);
    const foreground = meanOver(pixels, 1, 0, isCell);
    const background = meanOver(pixels, 1, 0, isBackground);
    assert.ok(foreground > 100, `foreground mean ${foreground}`);
    assert.ok(background < 30, `background mean ${background}`);
    // libvips's own cast (what was served before): the cells at ~16 of 255, nearly black.
    const naive = await channelPixels(await sharp(tiff).png().toBuffer());
    const naiveForeground = meanOver(naive, 1, 0, isCell);
    assert.ok(naiveForeground < 20, `naive foreground mean ${naiveForeground}`);
    assert.ok(foreground - naiveForeground > 100, 'the stretch makes the cells visible');
  });
}

test('16-bit RGB TIFF: each channel stretched between its own percentiles', async () => {
  const tiff = await rgbCellTiff16();
  const shown = await resizeImage(tiff, CELL_SIDE, 'png');
  for (const c of [0, 1, 2] as const) {
    const pixels = await channelPixels(shown.body, c);
    const foreground = meanOver(pixels, 1, 0, isCell);
    const background = meanOver(pixels, 1, 0, isBackground);
    assert.ok(foreground > 100, `channel ${c} foreground mean ${foreground}`);
    assert.ok(background < 30, `channel ${c} background mean ${background}`);
  }
  const naive = await channelPixels(await sharp(tiff).png().toBuffer(), 2);
  assert.ok(meanOver(naive, 1, 0, isCell) < 40, 'naive blue channel is dark');
});

test('16-bit PNG is stretched too', async () => {
  const png = await sharp(cellImage16(), {
    raw: { width: CELL_SIDE, height: CELL_SIDE, channels: 1 },
  })
    .toColourspace('grey16')
    .png()
    .toBuffer();
  assert.equal((await sharp(png).metadata()).depth, 'ushort');
  const pixels = await channelPixels((await resizeImage(png, CELL_SIDE)).body);
  assert.ok(meanOver(pixels, 1, 0, isCell) > 100);
});

test('8-bit TIFF: no stretch, resizeImage and openImage byte-identical to plain sharp', async () => {
  const grey = Buffer.alloc(CELL_SIDE * CELL_SIDE);
  for (let i = 0; i < grey.length; i++) grey[i] = 10 + ((i * 7) % 40); // dim, would stretch a lot
  const tiff = await sharp(grey, { raw: { width: CELL_SIDE, height: CELL_SIDE, channels: 1 } })
    .tiff({ compression: 'lzw' })
    .toBuffer();
  const meta = await sharp(tiff).metadata();
  assert.equal(meta.depth, 'uchar');
  assert.equal(await stretchTo8Bit(tiff, meta), null);
  for (const size of [CELL_SIDE, 40]) {
    const plain = sharp(tiff)
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true });
    assert.deepEqual(
      (await resizeImage(tiff, size, 'png')).body,
      await plain.clone().png().toBuffer(),
    );
    assert.deepEqual(
      (await resizeImage(tiff, size)).body,
      await plain.clone().jpeg({ quality: 82 }).toBuffer(),
    );
  }
  const opened = await (await openImage(tiff)).raw().toBuffer();
  assert.deepEqual(opened, await sharp(tiff).autoOrient().raw().toBuffer());
});

test('stretchBounds: the 0.5 and 99.5 percentiles per channel; alpha keeps its full range', () => {
  const n = 1000;
  const data = new Uint16Array(n * 2);
  for (let i = 0; i < n; i++) {
    data[i * 2] = i * 10; // 0..9990
    data[i * 2 + 1] = 65535;
  }
  const bounds = stretchBounds(data, { width: 100, height: 10, channels: 2 }, true, 65535);
  assert.deepEqual(bounds, [
    { low: 50, high: 9940 },
    { low: 0, high: 65535 },
  ]);
});

test('mapTo8Bit: at/below low → 0, at/above high → 255, linear between, NaN → 0', () => {
  const data = new Float32Array([0.1, 0.2, 0.4, 0.5, 0.9, Number.NaN]);
  const out = mapTo8Bit(data, 1, [{ low: 0.2, high: 0.5 }]);
  assert.deepEqual([...out], [0, 0, 170, 255, 255, 0]);
});
