import assert from 'node:assert/strict';
import { test } from 'node:test';
import { viewerActionForKey } from './viewerKeys';

test('viewer keys: zoom, reset, and the three adjustments', () => {
  const options = ['cat', 'dog'];
  assert.deepEqual(viewerActionForKey(options, '+'), { kind: 'zoom', dir: 1 });
  assert.deepEqual(viewerActionForKey(options, '-'), { kind: 'zoom', dir: -1 });
  assert.deepEqual(viewerActionForKey(options, 'Escape'), { kind: 'reset-view' });
  assert.deepEqual(viewerActionForKey(options, '0'), { kind: 'reset-view' });
  assert.deepEqual(viewerActionForKey(options, '}'), { kind: 'adjust', which: 'contrast', dir: 1 });
  assert.deepEqual(viewerActionForKey(options, '\\'), { kind: 'reset-adjustments' });
  assert.equal(viewerActionForKey(options, '1'), undefined, '1 labels cat');
  assert.equal(viewerActionForKey(options, 'x'), undefined);
});

test('a key an option takes stays a labelling key: 0 labels the digit zero', () => {
  const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  assert.equal(viewerActionForKey(digits, '0'), undefined);
  assert.deepEqual(viewerActionForKey(digits, 'Escape'), { kind: 'reset-view' });
  // Ten options by position: the tenth takes 0.
  const ten = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10'];
  assert.equal(viewerActionForKey(ten, '0'), undefined);
});
