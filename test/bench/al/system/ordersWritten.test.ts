import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Handout } from '../labelling';
import { describeModels, describeOrders, ordersWritten } from './ordersWritten';

const T0 = 1_700_000_000_000;

const handout = (atMs: number): Handout => ({
  sampleId: atMs,
  poolIndex: 0,
  labeller: 'a',
  given: 0,
  handedAtMs: T0 + atMs,
});

const LOG = [
  'Orchestrator warming up', // not JSON
  JSON.stringify({
    msg: 'model trained and queue reordered',
    time: T0 + 9_000,
    written: 3950,
    labelledCount: 45,
    durationsMs: { features: 900, training: 2000 },
    pausedMs: 1500,
    agreement: null,
    uncertaintyStrength: 0,
  }),
  JSON.stringify({
    msg: 'model trained and queue reordered',
    time: T0 + 12_000,
    written: 3900,
    labelledCount: 90,
    agreement: 0.8512,
    uncertaintyStrength: 0.2667,
  }),
  JSON.stringify({
    msg: 'cold-start order written',
    time: T0 + 2_000,
    written: 1000,
    durationsMs: { headFeatures: 700, order: 300, write: 50 },
  }),
  JSON.stringify({ msg: 'orchestrator running', time: T0 - 400 }),
  JSON.stringify({ msg: 'orchestrator running', time: T0 + 30_000 }), // a restart: not the start
  '{"msg":"cold-start order written"', // cut off
];

test('orders are read in time order with their phases; the first start of the orchestrator counts', () => {
  const timeline = ordersWritten(LOG);
  assert.equal(timeline.orchestratorUpAtMs, T0 - 400);
  assert.deepEqual(
    timeline.orders.map((o) => [o.kind, o.atMs - T0, o.written]),
    [
      ['cold-start', 2_000, 1000],
      ['model', 9_000, 3950],
      ['model', 12_000, 3900],
    ],
  );
  assert.deepEqual(timeline.orders[0]?.durationsMs, { headFeatures: 700, order: 300, write: 50 });
});

test('the description counts the hand-outs before the first order and names its phases', () => {
  const line = describeOrders(ordersWritten(LOG), [0, 500, 1_999, 2_000, 5_000].map(handout));
  assert.equal(
    line,
    'orchestrator up at -0.4 s; orders written (from the first hand-out): 2.0 s cold-start 1000, ' +
      '9.0 s model 3950, 12.0 s model 3900; 3 of 5 labels handed out before the first ' +
      '(its phases: headFeatures 700 ms, order 300 ms, write 50 ms)',
  );
});

test('no order and no start line are said so', () => {
  assert.equal(
    describeOrders(ordersWritten([]), [handout(0)]),
    'orchestrator start not logged; orders written (from the first hand-out): none; 1 of 1 labels handed out before the first',
  );
  assert.equal(describeOrders(ordersWritten(LOG), []), 'no hand-outs');
  const empty = JSON.stringify({ msg: 'cold-start order written', time: T0 - 100, written: 0 });
  assert.match(
    describeOrders(ordersWritten([empty]), [handout(0)]),
    /-0\.1 s cold-start 0; 1 of 1 labels handed out before the first$/,
  );
});

test("each model's training labels, agreement and uncertainty exponent are listed", () => {
  assert.equal(
    describeModels(ordersWritten(LOG)),
    'models (training labels: agreement/uncertainty exponent): 45:-/0.00 90:0.85/0.27; ' +
      'cycle/training/paused: 2.9 s/2.0 s/1.5 s 0.0 s/0.0 s/0.0 s; ' +
      "the first one's phases: features 900 ms, training 2000 ms, of which paused for labellers 1500 ms",
  );
  assert.equal(describeModels(ordersWritten([])), 'no models');
});
