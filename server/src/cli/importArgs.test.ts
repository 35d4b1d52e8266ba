import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImportArgs } from './importArgs';

const base = ['--project', 'p', '--labels', 'a,b'];

test('--process-all, --delivery and --thumbnail-suffix are read once into the import args', () => {
  const parsed = parseImportArgs([
    ...base,
    '--process-all',
    '--delivery',
    'presign',
    '--thumbnail-suffix',
    '.lightly/thumbnails/[filename]_thumb.[extension]',
    's3://b/p',
  ]);
  assert.ok('args' in parsed);
  assert.equal(parsed.args.processAll, true);
  assert.deepEqual(parsed.args.imageSettings, {
    delivery: 'presign',
    thumbnailSuffix: '.lightly/thumbnails/[filename]_thumb.[extension]',
  });

  const plain = parseImportArgs([...base, '/tmp/x']);
  assert.ok('args' in plain);
  assert.equal(plain.args.processAll, false);
  assert.deepEqual(plain.args.imageSettings, {}, 'unset flags keep the project settings');

  const off = parseImportArgs([...base, '--thumbnail-suffix', 'none', '/tmp/x']);
  assert.ok('args' in off);
  assert.deepEqual(off.args.imageSettings, { thumbnailSuffix: null });

  for (const [given, page] of [
    ['2', 2],
    ['max', 'max'],
  ] as const) {
    const stacks = parseImportArgs([...base, '--page', given, '/tmp/x']);
    assert.ok('args' in stacks);
    assert.deepEqual(stacks.args.imageSettings, { page });
  }
});

test('bad values name the flag', () => {
  assert.deepEqual(parseImportArgs([...base, '--delivery', 'cdn', 's3://b/p']), {
    error: '--delivery must be proxy or presign',
  });
  const escape = parseImportArgs([...base, '--thumbnail-suffix', '../t', 's3://b/p']);
  assert.ok('error' in escape);
  assert.match(escape.error, /^--thumbnail-suffix must not contain \.\./);
  assert.deepEqual(parseImportArgs([...base, '--page', 'last', '/tmp/x']), {
    error: '--page must be max or a page index 0..9999',
  });
});
