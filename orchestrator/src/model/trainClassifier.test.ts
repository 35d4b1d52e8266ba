import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchSizeFor, examplesPerEpoch } from './trainClassifier';

test('every training step sees a whole batch, whatever the labelled-set size', () => {
  for (let n = 1; n <= 5_000; n++) {
    const batch = batchSizeFor(n);
    const used = examplesPerEpoch(n, batch);
    assert.ok(batch >= 1 && batch <= 64, `n=${n}: batch ${batch}`);
    // No scrap batch (450 labels at 64 a batch left one of 2), and never more than one batch
    // left for the next epoch.
    assert.equal(used % batch, 0, `n=${n}: ${used} examples in batches of ${batch}`);
    assert.ok(used > n - batch && used <= n, `n=${n}: ${used} examples used`);
  }
  assert.equal(examplesPerEpoch(450, batchSizeFor(450)), 448);
  assert.equal(examplesPerEpoch(20, batchSizeFor(20)), 20);
});
