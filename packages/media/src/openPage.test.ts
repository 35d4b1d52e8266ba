import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { openImage } from './decodeImage';
import { imagePageOfColumn, ImagePageTextSchema } from './imagePage';
import { resizeImage } from './resizeImage';
import {
  CELL_SIDE,
  cellStackTiff16,
  cellTiff16,
  isBackground,
  isBackgroundOfStack,
  isCell,
  isMirroredCell,
  meanOver,
} from './testing/cellImages';

/** An encoded image's first channel as 8-bit pixels. */
async function shown(encoded: Buffer): Promise<Buffer> {
  return sharp(encoded).extractChannel(0).raw().toBuffer();
}

/** What openImage decodes, first channel. */
async function opened(image: Buffer, page: 0 | 1 | 'max'): Promise<Buffer> {
  return (await openImage(image, page)).extractChannel(0).raw().toBuffer();
}

/** Inside a cell of one page and well outside every cell of the other. */
const onlyFirst = (x: number, y: number) => isCell(x, y) && isBackground(CELL_SIDE - 1 - x, y);
const onlySecond = (x: number, y: number) => isMirroredCell(x, y) && isBackground(x, y);

for (const compression of ['lzw', 'deflate'] as const) {
  test(`two-page 16-bit ${compression} TIFF: page 0, page 1, last page past the end, max projection`, async () => {
    const stack = await cellStackTiff16(compression);
    assert.equal((await sharp(stack).metadata()).pages, 2);
    const page0 = await shown((await resizeImage(stack, CELL_SIDE, 'png')).body);
    // Page 0 of the stack is served exactly as the same cells in a single-page TIFF.
    assert.deepEqual(
      page0,
      await shown((await resizeImage(await cellTiff16(), CELL_SIDE, 'png')).body),
    );
    assert.ok(meanOver(page0, 1, 0, onlyFirst) > 100);
    assert.ok(meanOver(page0, 1, 0, onlySecond) < 30);

    const page1 = await shown((await resizeImage(stack, CELL_SIDE, 'png', 1)).body);
    assert.ok(meanOver(page1, 1, 0, onlySecond) > 100, 'page 1 shows its own cells');
    assert.ok(meanOver(page1, 1, 0, onlyFirst) < 30, 'and not page 0’s');
    const past = await shown((await resizeImage(stack, CELL_SIDE, 'png', 7)).body);
    assert.deepEqual(past, page1, 'a page past the end shows the last page');

    const max = await shown((await resizeImage(stack, CELL_SIDE, 'png', 'max')).body);
    assert.ok(meanOver(max, 1, 0, onlyFirst) > 100, 'max projection keeps page 0’s cells');
    assert.ok(meanOver(max, 1, 0, onlySecond) > 100, 'and page 1’s');
    assert.ok(meanOver(max, 1, 0, isBackgroundOfStack) < 30, 'background stays dark');
  });
}

test('openImage (the model’s features) decodes the same page and projection as the display', async () => {
  const stack = await cellStackTiff16();
  for (const page of [0, 1, 'max'] as const) {
    const displayed = await shown((await resizeImage(stack, CELL_SIDE, 'png', page)).body);
    assert.deepEqual(await opened(stack, page), displayed, `page ${page}`);
  }
});

test('8-bit RGB two-page TIFF: page 1 and the max of both pages, per channel', async () => {
  const side = 16;
  const pages = Buffer.alloc(side * side * 3 * 2);
  // Page 0 red everywhere at 200, page 1 blue everywhere at 150.
  for (let i = 0; i < side * side; i++) {
    pages[i * 3] = 200;
    pages[(side * side + i) * 3 + 2] = 150;
  }
  const tiff = await sharp(pages, {
    raw: { width: side, height: side * 2, channels: 3, pageHeight: side },
  })
    .tiff({ compression: 'deflate' })
    .toBuffer();
  const pixel = async (page: 0 | 1 | 'max') => [
    ...(await (await openImage(tiff, page)).raw().toBuffer()).subarray(0, 3),
  ];
  assert.deepEqual(await pixel(0), [200, 0, 0]);
  assert.deepEqual(await pixel(1), [0, 0, 150]);
  assert.deepEqual(await pixel('max'), [200, 0, 150]);
});

test('max of a single-page image is that image', async () => {
  const tiff = await cellTiff16();
  assert.deepEqual(await opened(tiff, 'max'), await opened(tiff, 0));
});

test('page settings parse from the column and from text, and refuse anything else', () => {
  assert.equal(imagePageOfColumn('max'), 'max');
  assert.equal(imagePageOfColumn('3'), 3);
  assert.throws(() => imagePageOfColumn('-1'));
  assert.throws(() => imagePageOfColumn('first'));
  assert.equal(ImagePageTextSchema.parse('12'), 12);
  assert.equal(ImagePageTextSchema.parse('max'), 'max');
  const bad = ImagePageTextSchema.safeParse('1.5');
  assert.equal(bad.success, false);
  assert.match(bad.error.issues[0]?.message ?? '', /max or a page index/);
});
