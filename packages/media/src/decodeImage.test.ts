import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import sharp from 'sharp';
import { ImageDecodeError, inspectImage, openImage } from './decodeImage';

const bmpJs = createRequire(import.meta.url)('bmp-js') as {
  encode: (image: { data: Buffer; width: number; height: number }) => { data: Buffer };
};

const WIDTH = 64;
const HEIGHT = 48;
const raw = Buffer.alloc(WIDTH * HEIGHT * 3);
for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 256;
const image = () => sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } });

const encoders = {
  png: () => image().png().toBuffer(),
  jpeg: () => image().jpeg().toBuffer(),
  gif: () => image().gif().toBuffer(),
  tiff: () => image().tiff().toBuffer(),
  webp: () => image().webp().toBuffer(),
  bmp: () =>
    Promise.resolve(
      bmpJs.encode({ data: Buffer.alloc(WIDTH * HEIGHT * 4, 9), width: WIDTH, height: HEIGHT })
        .data,
    ),
};

for (const [format, encode] of Object.entries(encoders)) {
  test(`${format}: whole file decodes, a cut one is rejected`, async () => {
    const bytes = await encode();
    assert.deepEqual(await inspectImage(bytes), { format, width: WIDTH, height: HEIGHT });
    // 90% keeps every header intact: only a full decode notices (TIFF slips past failOn 'truncated').
    for (const share of [0.5, 0.9]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * share));
      await assert.rejects(inspectImage(cut), ImageDecodeError, `${format} cut at ${share}`);
    }
  });
}

test('text and unsupported formats are rejected with a reason', async () => {
  await assert.rejects(inspectImage(Buffer.from('not an image')), /unsupported image format/);
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
  await assert.rejects(inspectImage(svg), /unsupported image format svg/);
});

test('openImage turns a BMP into a sharp pipeline with the right pixels', async () => {
  const abgr = Buffer.alloc(3 * 2 * 4);
  for (let p = 0; p < 6; p++) abgr.set([0, 30, 20, 10], p * 4); // A B G R
  const bmp = bmpJs.encode({ data: abgr, width: 3, height: 2 }).data;
  const { data, info } = await (await openImage(bmp)).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, 3);
  assert.equal(info.height, 2);
  assert.deepEqual([...data.subarray(0, 4)], [10, 20, 30, 255]);
});
