import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EffectiveLabel, LabelValue } from '@al/db';
import { resolveLabels } from './resolveLabels';

let nextId = 1;
function label(sampleId: number, value: LabelValue): EffectiveLabel {
  return { label_id: nextId++, sample_id: sampleId, split: 'train', content_hash: 'h', value };
}

test('single-label: majority wins, ties go to the earliest label', () => {
  const out = resolveLabels(
    [label(1, 'b'), label(1, 'a'), label(1, 'a'), label(2, 'c'), label(2, 'a')],
    ['a', 'b', 'c'],
    false,
  );
  assert.deepEqual(
    out.map((r) => [r.sampleId, [...r.target], r.votes]),
    [
      [1, [1, 0, 0], 3],
      [2, [0, 0, 1], 2],
    ],
  );
});

test('multi-label: each option by strict majority, ties follow the earliest label', () => {
  const out = resolveLabels(
    [label(1, ['a', 'b']), label(1, ['a']), label(1, ['c']), label(2, ['b']), label(2, ['a'])],
    ['a', 'b', 'c'],
    true,
  );
  assert.deepEqual(
    out.map((r) => [...r.target]),
    [
      [1, 0, 0],
      [0, 1, 0],
    ],
  );
});
