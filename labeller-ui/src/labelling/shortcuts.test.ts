import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optionIndexForKey, shortcutsForOptions } from './shortcuts';

test('digit and letter options are their own keys; other options go by position', () => {
  const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  assert.deepEqual(shortcutsForOptions(digits), digits);
  assert.equal(digits[optionIndexForKey(digits, '7')], '7');
  assert.deepEqual(shortcutsForOptions(['cat', 'dog', 'bird']), ['1', '2', '3']);
  assert.equal(optionIndexForKey(['cat', 'dog', 'bird'], '3'), 2);
  // 's' and 'z' are skip and undo, so options named like them fall back to positions.
  assert.deepEqual(shortcutsForOptions(['s', 'm', 'l']), ['1', '2', '3']);
  assert.deepEqual(shortcutsForOptions(['A', 'b']), ['a', 'b']);
  assert.equal(optionIndexForKey(['x', 'y'], 'Y'), 1);
});
