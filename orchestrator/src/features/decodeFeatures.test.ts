import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { resizeImage } from '@al/media';
import {
  CELL_SIDE,
  cellStackTiff16,
  cellTiff16,
  isBackground,
  isCell,
  meanOver,
  rgbCellTiff16,
} from '@al/media/testing';
import { decodeFeatures } from './decodeFeatures';

const GREY = { width: CELL_SIDE, height: CELL_SIDE, channels: 1 } as const;
const RGB = { width: CELL_SIDE, height: CELL_SIDE, channels: 3 } as const;

for (const compression of ['lzw', 'deflate'] as const) {
  test(`16-bit ${compression} TIFF: the model's pixels are stretched like the labeller's`, async () => {
    const tiff = await cellTiff16(compression);
    const features = await decodeFeatures(tiff, GREY);
    const foreground = meanOver(features, 1, 0, isCell);
    assert.ok(foreground > 100, `foreground mean ${foreground}`);
    assert.ok(meanOver(features, 1, 0, isBackground) < 30);
    // What the features were before: libvips's cast, the cells nearly black.
    const naive = await sharp(tiff).toColourspace('b-w').raw().toBuffer();
    assert.ok(meanOver(naive, 1, 0, isCell) < 20);
    // Same size as the display: the same bytes the labelling page is served.
    const shown = await resizeImage(tiff, CELL_SIDE, 'png');
    assert.deepEqual(features, await sharp(shown.body).extractChannel(0).raw().toBuffer());
  });
}

test('16-bit RGB TIFF: every channel of the features stretched', async () => {
  const features = await decodeFeatures(await rgbCellTiff16(), RGB);
  for (let c = 0; c < 3; c++) {
    assert.ok(meanOver(features, 3, c, isCell) > 100, `channel ${c}`);
    assert.ok(meanOver(features, 3, c, isBackground) < 30, `channel ${c}`);
  }
});

test('8-bit images decode as plain sharp does (no stretch)', async () => {
  const grey = Buffer.alloc(CELL_SIDE * CELL_SIDE);
  for (let i = 0; i < grey.length; i++) grey[i] = 10 + ((i * 7) % 40);
  const tiff = await sharp(grey, { raw: { width: CELL_SIDE, height: CELL_SIDE, channels: 1 } })
    .tiff({ compression: 'deflate' })
    .toBuffer();
  const spec = { width: 32, height: 32, channels: 1 } as const;
  const plain = await sharp(tiff)
    .autoOrient()
    .flatten({ background: '#000000' })
    .resize(32, 32, { fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  assert.deepEqual(await decodeFeatures(tiff, spec), plain);
});

test('the page of a stack the spec names is the one decoded, as the display shows it', async () => {
  const stack = await cellStackTiff16();
  const spec = { width: CELL_SIDE, height: CELL_SIDE, channels: 1 } as const;
  for (const page of [1, 'max'] as const) {
    const features = await decodeFeatures(stack, { ...spec, page });
    const shown = await sharp((await resizeImage(stack, CELL_SIDE, 'png', page)).body)
      .extractChannel(0)
      .raw()
      .toBuffer();
    assert.deepEqual(features, shown, `page ${page}`);
  }
  assert.notDeepEqual(
    await decodeFeatures(stack, { ...spec, page: 1 }),
    await decodeFeatures(stack, spec),
  );
});
