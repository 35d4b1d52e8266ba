import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../acquisition/rng';
import { cpuTensorFlow } from '../testing/cpuBackend';
import { maxShiftFor, shiftedRows } from './augment';

/** Source pixel (x, y, k) of an image whose every value is distinct and non-zero. */
const value = (row: number, x: number, y: number, k: number) => 1 + row * 60 + (y * 5 + x) * 3 + k;

test('shiftedRows translates each image by one (dx, dy) within the bound, zero-filled', async () => {
  const tf = await cpuTensorFlow();
  const spec = { width: 5, height: 4, channels: 3 as const };
  const len = 5 * 4 * 3;
  const rows = 3;
  const pixels = new Uint8Array(rows * len);
  for (let r = 0; r < rows; r++)
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 5; x++)
        for (let k = 0; k < 3; k++) pixels[r * len + (y * 5 + x) * 3 + k] = value(r, x, y, k);
  const order = Int32Array.from([2, 0, 1, 2, 0, 1, 2, 0]);
  const out = shiftedRows(tf, pixels, order, spec, 1, createRng(7));
  const got = out.dataSync();
  out.dispose();
  const shifts = new Set<string>();
  order.forEach((src, r) => {
    const matches: string[] = [];
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        let same = true;
        for (let y = 0; y < 4 && same; y++)
          for (let x = 0; x < 5 && same; x++)
            for (let k = 0; k < 3 && same; k++) {
              const [sx, sy] = [x - dx, y - dy];
              const inside = sx >= 0 && sx < 5 && sy >= 0 && sy < 4;
              const want = inside ? value(src, sx, sy, k) / 255 : 0;
              same = Math.abs((got[r * len + (y * 5 + x) * 3 + k] ?? -1) - want) < 1e-6;
            }
        if (same) matches.push(`${dx},${dy}`);
      }
    }
    assert.equal(matches.length, 1, `row ${r} is not one shift of image ${src}`);
    shifts.add(matches[0] ?? '');
  });
  assert.ok(shifts.size > 1, 'every row got the same shift');
  // Seeded: the same rng seed gives the same shifts.
  const again = shiftedRows(tf, pixels, order, spec, 1, createRng(7));
  assert.deepEqual(Array.from(again.dataSync()), Array.from(got));
  again.dispose();
});

test('shiftedRows with maxShift 0 gathers the rows as they are, scaled to [0, 1]', async () => {
  const tf = await cpuTensorFlow();
  const spec = { width: 2, height: 2, channels: 1 as const };
  const pixels = Uint8Array.from([0, 51, 102, 255, 255, 204, 153, 0]);
  const out = shiftedRows(tf, pixels, Int32Array.from([1, 0, 1]), spec, 0, createRng(3));
  const got = Array.from(out.dataSync()).map((v) => Math.round(v * 255));
  out.dispose();
  assert.deepEqual(got, [255, 204, 153, 0, 0, 51, 102, 255, 255, 204, 153, 0]);
});

test('maxShiftFor: about 7% of the shorter side, at least 1', () => {
  assert.equal(maxShiftFor({ width: 28, height: 28, channels: 1 }), 2);
  assert.equal(maxShiftFor({ width: 48, height: 36, channels: 1 }), 3);
  assert.equal(maxShiftFor({ width: 8, height: 8, channels: 3 }), 1);
});
