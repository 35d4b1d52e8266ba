import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampView, fitRect, IDENTITY, MAX_SCALE, panBy, sizeWanted, zoomAt } from './viewMath';

const box = { width: 800, height: 600 };
const square = { width: 2048, height: 2048 };
const STEPS = [256, 384, 512, 768, 1024];

test('fitRect letterboxes like object-fit: contain', () => {
  assert.deepEqual(fitRect(box, square), { x: 100, y: 0, width: 600, height: 600 });
  assert.deepEqual(fitRect(box, { width: 1600, height: 600 }), {
    x: 0,
    y: 150,
    width: 800,
    height: 300,
  });
});

test('zoomAt keeps the picture point under the cursor fixed', () => {
  const at = { x: 300, y: 200 };
  const v = zoomAt(IDENTITY, 2, at, box, square);
  assert.equal(v.scale, 2);
  // The box point `at` maps back to the same local point before and after.
  assert.equal((at.x - v.x) / v.scale, at.x);
  assert.equal((at.y - v.y) / v.scale, at.y);
  // Zooming back out by the same factor returns to the identity (centred, nothing clamped away).
  assert.deepEqual(zoomAt(v, 0.5, at, box, square), IDENTITY);
});

test('scale stays within [1, MAX_SCALE]', () => {
  assert.equal(zoomAt(IDENTITY, 0.1, { x: 0, y: 0 }, box, square).scale, 1);
  assert.equal(zoomAt(IDENTITY, 1e6, { x: 0, y: 0 }, box, square).scale, MAX_SCALE);
});

test('panning stops at the picture edges and cannot move an unzoomed picture', () => {
  assert.deepEqual(panBy(IDENTITY, 50, 50, box, square), IDENTITY);
  const zoomed = zoomAt(IDENTITY, 4, { x: 400, y: 300 }, box, square);
  const far = panBy(zoomed, 1e5, 1e5, box, square);
  // The picture's left/top edge (local 100, 0) sits at the box's left/top edge.
  assert.equal(far.x + far.scale * 100, 0);
  assert.equal(far.y, 0);
  const other = panBy(zoomed, -1e5, -1e5, box, square);
  assert.equal(other.x + other.scale * 700, 800);
  assert.equal(other.y + other.scale * 600, 600);
  assert.deepEqual(panBy(zoomed, 10, -10, box, square), {
    ...zoomed,
    x: zoomed.x + 10,
    y: zoomed.y - 10,
  });
});

test('clampView centres a picture narrower than the box', () => {
  const v = clampView({ scale: 1.2, x: -500, y: 0 }, box, square);
  // 600 × 1.2 = 720 px wide in an 800 px box: 40 px each side.
  assert.equal(v.x + 1.2 * 100, 40);
});

test('sizeWanted asks for more pixels only when the screen outgrows the preview', () => {
  const base = { shownSize: 512, box, dpr: 1, steps: STEPS };
  const natural = { width: 512, height: 512 };
  // 600 px on screen from a 512 px preview: already more than 1 screen px per image px.
  assert.equal(sizeWanted({ ...base, natural, scale: 1 }), 768);
  assert.equal(sizeWanted({ ...base, natural, scale: 3 }), 1024);
  assert.equal(sizeWanted({ ...base, shownSize: 1024, natural: square, scale: 3 }), undefined);
  // A 100 px original came back smaller than asked: the server has nothing larger.
  assert.equal(sizeWanted({ ...base, natural: { width: 100, height: 80 }, scale: 8 }), undefined);
  assert.equal(
    sizeWanted({ ...base, box: { width: 400, height: 400 }, natural, scale: 1 }),
    undefined,
  );
});
