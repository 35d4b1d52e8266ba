import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clampAdjustments, cssFilter, NEUTRAL, stepAdjustment } from './displayAdjustments';

test('neutral adjustments draw no filter; others name each part once', () => {
  assert.equal(cssFilter(NEUTRAL, 'g'), undefined);
  assert.equal(cssFilter({ brightness: 1.5, contrast: 1, gamma: 1 }, 'g'), 'brightness(1.5)');
  assert.equal(cssFilter({ brightness: 1, contrast: 2, gamma: 0.5 }, 'g'), 'contrast(2) url(#g)');
});

test('keyboard steps stay inside the slider bounds without float drift', () => {
  let a = NEUTRAL;
  for (let i = 0; i < 3; i++) a = stepAdjustment(a, 'contrast', 1);
  assert.equal(a.contrast, 1.3);
  for (let i = 0; i < 100; i++) a = stepAdjustment(a, 'gamma', -1);
  assert.equal(a.gamma, 0.2);
  assert.deepEqual(clampAdjustments({ brightness: 99, contrast: -1, gamma: 1 }), {
    brightness: 4,
    contrast: 0.2,
    gamma: 1,
  });
});
