import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EffectiveLabel, KnownAnswerRow, LabelValue } from '@al/db';
import { resolveLabels } from './resolveLabels';

let nextId = 1;
/** A label row; each answer on a sample is by its own labeller unless `labeller` is given. */
function label(
  sampleId: number,
  value: LabelValue,
  labeller = `l${String(nextId)}`,
): EffectiveLabel {
  return {
    label_id: nextId++,
    sample_id: sampleId,
    split: 'train',
    content_hash: 'h',
    labeller,
    value,
  };
}

const targets = (out: ReturnType<typeof resolveLabels>) =>
  out.map((r) => [r.sampleId, [...r.target], r.votes]);

test('single-label, one label per sample: that label; options no longer in the project are left out', () => {
  const out = resolveLabels(
    [label(1, 'b'), label(2, 'a'), label(3, 'gone')],
    ['a', 'b', 'c'],
    false,
  );
  assert.deepEqual(targets(out), [
    [1, [0, 1, 0], 1],
    [2, [1, 0, 0], 1],
  ]);
});

test('single-label with overlap: the majority, and Dawid–Skene trusts who agrees with the others', () => {
  const rows: EffectiveLabel[] = [];
  // ann and bob agree on 12 samples; rex answers 'c' on all of them.
  for (let s = 1; s <= 12; s++) {
    const truth = s % 2 ? 'a' : 'b';
    rows.push(label(s, 'c', 'rex'), label(s, truth, 'ann'), label(s, truth, 'bob'));
  }
  // Sample 13: rex (first) and ann disagree, one answer each: ann's is the one to trust.
  rows.push(label(13, 'c', 'rex'), label(13, 'b', 'ann'));
  const out = resolveLabels(rows, ['a', 'b', 'c'], false);
  assert.deepEqual(targets(out).slice(0, 2), [
    [1, [1, 0, 0], 3],
    [2, [0, 1, 0], 3],
  ]);
  assert.deepEqual(targets(out).at(-1), [13, [0, 1, 0], 2]);
});

test('single-label: a tie between labellers nothing tells apart goes to the earliest label', () => {
  const out = resolveLabels([label(1, 'c', 'p'), label(1, 'a', 'q')], ['a', 'b', 'c'], false);
  assert.deepEqual(targets(out), [[1, [0, 0, 1], 2]]);
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

/** A known answer in force (a review unless said otherwise). */
function known(sampleId: number, value: LabelValue, source: 'review' | 'gold' = 'review') {
  const row: KnownAnswerRow = {
    sample_id: sampleId,
    split: 'train',
    content_hash: `k${String(sampleId)}`,
    value,
    source,
  };
  return row;
}

test('known answers: a review or gold answer replaces the labellers’ target; one alone is trained on', () => {
  // Sample 1: two labellers say 'a', a reviewer corrected it to 'c'. Sample 2: untouched.
  // Sample 3: nobody answered it, it has a gold answer. Sample 4: a known answer naming an
  // option the project no longer has leaves the labellers' target as it was.
  const rows = [label(1, 'a'), label(1, 'a'), label(2, 'b'), label(4, 'b')];
  const out = resolveLabels(rows, ['a', 'b', 'c'], false, [
    known(1, 'c'),
    known(3, 'b', 'gold'),
    known(4, 'gone'),
  ]);
  assert.deepEqual(targets(out), [
    [1, [0, 0, 1], 2],
    [2, [0, 1, 0], 1],
    [4, [0, 1, 0], 1],
    [3, [0, 1, 0], 0],
  ]);
  assert.equal(out.at(-1)?.contentHash, 'k3', 'its pixels are looked up by its own hash');
});

test('known answers, multi-label: the reviewed set replaces the majority, an empty set included', () => {
  const out = resolveLabels(
    [label(1, ['a', 'b']), label(1, ['a']), label(2, ['c'])],
    ['a', 'b', 'c'],
    true,
    [known(1, ['b', 'c']), known(2, [])],
  );
  assert.deepEqual(targets(out), [
    [1, [0, 1, 1], 2],
    [2, [0, 0, 0], 1],
  ]);
});
