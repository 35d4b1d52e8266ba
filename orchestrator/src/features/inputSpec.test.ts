import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveInputSpec, inputSpecKey, inputSpecSchema } from './inputSpec';

const grey = (width: number, height: number) => ({ width, height, grey: true });
const colour = (width: number, height: number) => ({ width, height, grey: false });

test('small grey digits keep their size; no image gives the default', () => {
  assert.deepEqual(deriveInputSpec([grey(28, 28), grey(28, 28), grey(30, 26)]), {
    width: 28,
    height: 28,
    channels: 1,
  });
  assert.deepEqual(deriveInputSpec([]), { width: 28, height: 28, channels: 1 });
});

test('colour photos shrink to a 32-pixel long side with their aspect ratio', () => {
  const spec = deriveInputSpec([colour(640, 480), grey(640, 480), colour(800, 600)]);
  assert.deepEqual(spec, { width: 32, height: 24, channels: 3 });
});

test('large grey scans get a 48-pixel long side, one channel', () => {
  assert.deepEqual(deriveInputSpec([grey(1000, 1000), grey(1200, 1200)]), {
    width: 48,
    height: 48,
    channels: 1,
  });
});

test('every size is part of the cache key, and the stored form is validated', () => {
  assert.notEqual(
    inputSpecKey({ width: 32, height: 32, channels: 1 }),
    inputSpecKey({ width: 32, height: 32, channels: 3 }),
  );
  assert.equal(inputSpecSchema.safeParse({ width: 28, height: 28, channels: 2 }).success, false);
  assert.equal(inputSpecSchema.safeParse({ width: 0, height: 28, channels: 1 }).success, false);
});
