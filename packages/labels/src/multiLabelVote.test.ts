import { test } from 'node:test';
import assert from 'node:assert/strict';
import { multiLabelVote } from './multiLabelVote';

const options = ['cat', 'dog', 'bird'];

test('multi-label: per-option strict majority, confidence the mean agreement', () => {
  assert.deepEqual(multiLabelVote(options, [['cat', 'dog'], ['cat'], ['cat', 'dog']]), {
    label: ['cat', 'dog'],
    // cat 3/3, dog 2/3, bird 3/3 agree with the decision.
    confidence: (1 + 2 / 3 + 1) / 3,
  });
});

test('multi-label: unanimous is confidence 1; a single answer is taken as is', () => {
  assert.deepEqual(multiLabelVote(options, [['bird'], ['bird']]), {
    label: ['bird'],
    confidence: 1,
  });
  assert.deepEqual(multiLabelVote(options, [['dog', 'cat']]), {
    label: ['cat', 'dog'],
    confidence: 1,
  });
});

test('multi-label: a tie leaves the option out; no answers is null', () => {
  assert.deepEqual(multiLabelVote(options, [['cat'], ['dog']]), {
    label: [],
    confidence: (0.5 + 0.5 + 1) / 3,
  });
  assert.equal(multiLabelVote(options, []), null);
});
