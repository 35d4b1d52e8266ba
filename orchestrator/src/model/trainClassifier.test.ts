import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchSizeFor, epochsFor, examplesPerEpoch } from './trainClassifier';

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

test('epochsFor gives 28×28 grey rows the full budget and longer rows fewer passes', () => {
  const grey28 = { width: 28, height: 28, channels: 1 } as const;
  assert.equal(epochsFor(100, grey28), 160);
  assert.equal(epochsFor(500, grey28), 128);
  assert.equal(epochsFor(2_000, grey28), 16);
  // Smaller images never get more than 28×28's budget.
  assert.equal(epochsFor(500, { width: 20, height: 20, channels: 1 }), 128);
  // 32×32 RGB is 3,072 long, 3.9× as long: about half the passes.
  const rgb32 = { width: 32, height: 32, channels: 3 } as const;
  assert.equal(epochsFor(500, rgb32), 65);
  assert.equal(epochsFor(1_000, rgb32), 32);
  // The floor of 10 epochs holds however long the rows.
  assert.equal(epochsFor(2_000, { width: 256, height: 256, channels: 3 }), 10);
});
