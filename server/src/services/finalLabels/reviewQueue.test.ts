import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wrongProbability } from './reviewQueue';

test('wrong probability: 1 − confidence alone; a model that agrees lowers it, one that disagrees raises it', () => {
  assert.ok(Math.abs(wrongProbability(0.8, undefined) - 0.2) < 1e-9);
  const agrees = wrongProbability(0.8, { agrees: true, confidence: 0.9 });
  const disagrees = wrongProbability(0.8, { agrees: false, confidence: 0.9 });
  // Two independent opinions: 0.8·0.9 / (0.8·0.9 + 0.2·0.1) right when they agree.
  assert.ok(Math.abs(agrees - (1 - 0.72 / 0.74)) < 1e-9, `${agrees}`);
  // When the model puts 0.9 on another label: 0.8·0.1 / (0.8·0.1 + 0.2·0.9) right.
  assert.ok(Math.abs(disagrees - (1 - 0.08 / 0.26)) < 1e-9, `${disagrees}`);
  // A sure final label stays sure against an unsure model, and a model at 0.5 changes nothing.
  assert.ok(wrongProbability(1, { agrees: false, confidence: 0.6 }) < 1e-4);
  assert.ok(Math.abs(wrongProbability(0.7, { agrees: false, confidence: 0.5 }) - 0.3) < 1e-9);
});
