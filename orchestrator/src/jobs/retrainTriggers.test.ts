import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RetrainTriggerState } from '@al/db';
import { silentLogger } from '../testing/digitsFixture';
import { triggerReason } from './retrainTriggers';

const state = (over: Partial<RetrainTriggerState>): RetrainTriggerState => ({
  project_id: 1,
  acquisition: {},
  busy: false,
  never_ordered: false,
  has_open_samples: true,
  new_labels: 0,
  seconds_since_last_job: 10,
  ...over,
});

test('a never-ordered project is ordered once it has samples, not while its import has none yet', () => {
  const fresh = { never_ordered: true, seconds_since_last_job: null };
  assert.equal(triggerReason(state({ ...fresh, has_open_samples: false }), silentLogger), null);
  assert.equal(triggerReason(state(fresh), silentLogger), 'timer');
  assert.equal(triggerReason(state({ ...fresh, busy: true }), silentLogger), null);
});

test('an ordered project retrains after enough new labels, or after the period with at least one', () => {
  assert.equal(triggerReason(state({ new_labels: 49 }), silentLogger), 'pending');
  assert.equal(triggerReason(state({ new_labels: 50 }), silentLogger), 'labels');
  assert.equal(
    triggerReason(state({ new_labels: 1, seconds_since_last_job: 300 }), silentLogger),
    'timer',
  );
  assert.equal(
    triggerReason(state({ new_labels: 0, seconds_since_last_job: 900 }), silentLogger),
    null,
  );
});

test('only an idle project with valid settings and new labels is pending', () => {
  assert.equal(triggerReason(state({ new_labels: 1 }), silentLogger), 'pending');
  assert.equal(triggerReason(state({ new_labels: 1, busy: true }), silentLogger), null);
  const invalid = { new_labels: 1, acquisition: { retrain_every_labels: -1 } };
  assert.equal(triggerReason(state(invalid), silentLogger), null);
});
