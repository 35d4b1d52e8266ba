/**
 * Gold hand-outs and review decisions through a Postgres restart. Labellers work a project where
 * a fifth of every stream is gold images, a reviewer posts decisions one after another and the
 * admin uploads more gold answers while the database is away, each resending until answered.
 * In the end every acknowledged label is stored exactly once, every acknowledged review and gold
 * answer is a row holding what was sent, no row holds anything that was not sent, and each
 * image's decision in force is the last one acknowledged for it.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { ReviewRecordedSchema } from '@al/contract';
import { freePort } from '@al/db/testing';
import { assertAckedEqualsStored, printFigure } from './ackedVsStored';
import { startSwarm, waitFor } from './labellerSwarm';
import { startRestartablePostgres } from './restartablePostgres';
import { startServerProcess } from './serverProcess';

const LABELLERS = 10;
const DOWN_MS = 4_000;
const ADMIN = { authorization: 'Bearer fault-test-admin-token-0123456789' };
const OPTIONS = ['cat', 'dog', 'bird'] as const;

/** Sends until the server answers with `ok` (a connection error or 503 means: again). */
async function untilAnswered(send: () => Promise<Response>, ok: number): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await send().catch(() => undefined);
    if (res?.status === ok) return res;
    if (res && res.status !== 503) throw new Error(`answered ${res.status}: ${await res.text()}`);
    if (attempt > 300) throw new Error('no answer in 60 s');
    await sleep(200);
  }
}

test('gold hand-outs, reviews and a gold upload through a Postgres restart: nothing acknowledged is lost or overwritten', async (t) => {
  const pg = await startRestartablePostgres({ samples: 3_000 });
  t.after(() => pg.destroy());
  const project = pg.project;
  assert.ok(project);
  const server = await startServerProcess({
    databaseUrl: pg.url,
    port: await freePort(),
    leaseTtlSeconds: 9,
  });
  t.after(() => server.kill('SIGKILL'));
  const api = `${server.url}/api/projects/${project.name}`;
  const samples = await pg
    .knex('samples')
    .where({ project_id: project.id })
    .orderBy('id')
    .select<{ id: number; source_uri: string }[]>('id', 'source_uri');
  const goldCsv = (rows: typeof samples) =>
    `uri,label\n${rows.map((s) => `${s.source_uri},${OPTIONS[s.id % 3] ?? 'cat'}`).join('\n')}\n`;
  const postGold = (rows: typeof samples) => () =>
    fetch(`${api}/gold`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'text/csv' },
      body: goldCsv(rows),
    });
  // The last 200 images are gold from the start, a fifth of each stream.
  const firstGold = samples.slice(-200);
  await untilAnswered(postGold(firstGold), 201);
  await untilAnswered(
    () =>
      fetch(`${api}/gold/share`, {
        method: 'PUT',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify({ share: 0.2 }),
      }),
    200,
  );

  const swarm = startSwarm({
    urls: [server.url],
    project: project.name,
    count: LABELLERS,
    namePrefix: 'goldfault',
  });
  t.after(() => swarm.stop(1_000).catch(() => undefined));

  // The reviewer: decisions on images 1..n in turn, each resent until acknowledged.
  const sent = new Map<number, Set<string>>();
  const acked: { id: number; sampleId: number; label: string }[] = [];
  const reviewer = { running: true };
  const reviewing = (async () => {
    for (let i = 0; reviewer.running; i++) {
      const sample = samples[i % 400];
      if (!sample) break;
      const label = OPTIONS[i % 3] ?? 'cat';
      sent.set(sample.id, (sent.get(sample.id) ?? new Set()).add(label));
      const res = await untilAnswered(
        () =>
          fetch(`${api}/review/${String(sample.id)}`, {
            method: 'POST',
            headers: { ...ADMIN, 'content-type': 'application/json' },
            body: JSON.stringify({ label, reviewer: 'rita' }),
          }),
        201,
      );
      const recorded = ReviewRecordedSchema.parse(await res.json());
      acked.push({ id: recorded.id, sampleId: sample.id, label });
      await sleep(20);
    }
  })();

  await waitFor(() => swarm.stats.acked.length >= 100 && acked.length >= 10, 'work before');
  await pg.stop();
  // More gold answers while the database is away: resent until it is back.
  const secondGold = samples.slice(1_000, 1_050);
  const lateUpload = untilAnswered(postGold(secondGold), 201);
  await sleep(DOWN_MS);
  await pg.start();
  await lateUpload;
  const ackedBefore = swarm.stats.acked.length;
  const reviewsBefore = acked.length;
  await waitFor(
    () => swarm.stats.acked.length >= ackedBefore + 200 && acked.length >= reviewsBefore + 20,
    'work after Postgres came back',
    60_000,
  );
  reviewer.running = false;
  await reviewing;
  await swarm.stop();

  const { acked: labels, stored } = await assertAckedEqualsStored(
    pg.knex,
    swarm.stats,
    'goldfault',
  );
  assert.equal(labels, stored);
  // Reviews: every acknowledged one stored as sent; none stored that was never sent.
  const rows = await pg
    .knex('label_reviews')
    .select<{ id: number; sample_id: number; value: string; reviewer: string }[]>(
      'id',
      'sample_id',
      'value',
      'reviewer',
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const a of acked) assert.deepEqual(byId.get(a.id)?.value, a.label, `review ${a.id}`);
  for (const r of rows) assert.ok(sent.get(r.sample_id)?.has(r.value), `review ${r.id} never sent`);
  const inForce = await pg
    .knex('reviewed_labels')
    .select<{ sample_id: number; value: string }[]>('sample_id', 'value');
  const lastAcked = new Map(acked.map((a) => [a.sampleId, a.label]));
  for (const r of inForce)
    assert.equal(r.value, lastAcked.get(r.sample_id), `sample ${r.sample_id}`);
  // Gold: both uploads in force; hand-outs of the first gold images were all gold, uncounted.
  const gold = await pg.knex('gold_in_force').where({ project_id: project.id }).count('* as n');
  assert.equal(Number(gold[0]?.n), 250);
  const firstIds = firstGold.map((s) => s.id);
  const goldHandouts = await pg
    .knex('handouts')
    .whereIn('sample_id', firstIds)
    .select<{ gold: boolean }[]>('gold');
  assert.ok(goldHandouts.length > 0 && goldHandouts.every((h) => h.gold));
  const counted = await pg.knex('samples').whereIn('id', firstIds).sum('label_count as n');
  assert.equal(Number(counted[0]?.n), 0);
  printFigure(t, 'reviews-and-gold-restart', {
    labels,
    goldHandouts: goldHandouts.length,
    reviewsAcked: acked.length,
    reviewRows: rows.length,
    resends: swarm.stats.resends,
  });
});
