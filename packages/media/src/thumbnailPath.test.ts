import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thumbnailLocation, thumbnailMatcher, ThumbnailSuffixSchema } from './thumbnailPath';

test('a plain suffix goes before the extension; the format follows the original', () => {
  assert.deepEqual(thumbnailLocation('a/photo.JPG', '_thumb'), {
    relativePath: 'a/photo_thumb.jpg',
    format: 'jpeg',
  });
  assert.deepEqual(thumbnailLocation('scan.bmp', '_thumb'), {
    relativePath: 'scan_thumb.png',
    format: 'png',
  });
  assert.deepEqual(thumbnailLocation('x/y/d.tiff', '_thumb'), {
    relativePath: 'x/y/d_thumb.jpg',
    format: 'jpeg',
  });
});

test('a suffix with its own extension sets the format', () => {
  assert.deepEqual(thumbnailLocation('été/a b.png', '.thumb.webp'), {
    relativePath: 'été/a b.thumb.webp',
    format: 'webp',
  });
});

test("Lightly's template puts thumbnails in a folder beside the original", () => {
  const template = '.lightly/thumbnails/[filename]_thumb.[extension]';
  assert.deepEqual(thumbnailLocation('cats/c.gif', template), {
    relativePath: 'cats/.lightly/thumbnails/c_thumb.png',
    format: 'png',
  });
  assert.deepEqual(thumbnailLocation('c.jpeg', '[filename].small.webp'), {
    relativePath: 'c.small.webp',
    format: 'webp',
  });
});

test('the matcher recognises what thumbnailLocation writes, and not the originals', () => {
  for (const suffix of [
    '_thumb',
    '.thumb.webp',
    '.lightly/thumbnails/[filename]_thumb.[extension]',
  ]) {
    const isThumb = thumbnailMatcher(suffix);
    for (const original of ['a.png', 'n/photo.JPG', 'n/d.tiff', 'é é/f.bmp']) {
      assert.equal(isThumb(original), false, `${original} under ${suffix}`);
      assert.equal(isThumb(thumbnailLocation(original, suffix).relativePath), true, suffix);
    }
  }
});

test('suffixes that would escape the folder are refused', () => {
  assert.equal(ThumbnailSuffixSchema.safeParse('_thumb').success, true);
  assert.equal(ThumbnailSuffixSchema.safeParse('').success, false);
  assert.equal(ThumbnailSuffixSchema.safeParse('/abs').success, false);
  assert.equal(ThumbnailSuffixSchema.safeParse('../[filename]').success, false);
  assert.equal(ThumbnailSuffixSchema.safeParse('x/_thumb').success, false);
});
