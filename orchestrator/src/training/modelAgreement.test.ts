import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agreementWithPrevious } from './modelAgreement';

const labels = ['cat', 'dog', 'fox'];

test('agreement is the share of rows with a stored suggestion that the new model repeats', () => {
  // Argmax per row: dog, cat, fox, fox.
  const probs = Float32Array.from([0.2, 0.7, 0.1, 0.6, 0.3, 0.1, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4]);
  const agreement = agreementWithPrevious({
    probs,
    previous: ['dog', 'dog', null, 'fox'],
    labels,
    multiLabel: false,
  });
  assert.equal(agreement, 2 / 3);
});

test('no stored suggestion: agreement is unknown', () => {
  const probs = Float32Array.from([0.2, 0.7, 0.1]);
  const agreement = agreementWithPrevious({ probs, previous: [null], labels, multiLabel: false });
  assert.equal(agreement, undefined);
});

test('multi-label suggestions agree as sets, whatever their order', () => {
  // Row 0 → {cat, fox}; row 1 → {} .
  const probs = Float32Array.from([0.9, 0.1, 0.6, 0.2, 0.4, 0.1]);
  const agreement = agreementWithPrevious({
    probs,
    previous: [['fox', 'cat'], ['dog']],
    labels,
    multiLabel: true,
  });
  assert.equal(agreement, 0.5);
});
