import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '@al/db/testing';
import { GoldListSchema, HttpErrorBodySchema, ProjectStatsSchema } from '@al/contract';
import {
  connectClient,
  createFixtureProject,
  emitWithAck,
  labelAs,
  startApp,
  takeNext,
  type LabellerClient,
} from './helpers';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

/** Labels until nothing is left; `answer` picks each label. Returns the sample ids, in order. */
async function labelAll(
  client: LabellerClient,
  answer: (sampleId: number) => string,
): Promise<{ ids: number[]; payloadKeys: Set<string>; conflicts: number; mine: number[] }> {
  const ids: number[] = [];
  const payloadKeys = new Set<string>();
  const mine: number[] = [];
  let conflicts = 0;
  for (;;) {
    const sample = await takeNext(client);
    if (!sample) break;
    ids.push(sample.id);
    payloadKeys.add(Object.keys(sample).sort().join(','));
    const result = await labelAs(client, sample.id, answer(sample.id));
    if (result.conflict) conflicts++;
    mine.push(result.progress.mine);
  }
  return { ids, payloadKeys, conflicts, mine };
}

test('gold: a CSV upload is checked whole, mixed into each stream unrecognisably and never twice, and scores each labeller', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'gold', samples: 40 });
  const server = await startApp(db);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/projects/gold${path}`, {
      ...init,
      headers: { ...ADMIN, ...(init.headers as Record<string, string> | undefined) },
    });
  const csv = (text: string) =>
    api('/gold', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: text });
  try {
    const truth = (i: number) => (i % 2 === 0 ? 'cat' : 'dog');
    const goldFiles = fixture.files.slice(0, 10);
    const rows = goldFiles.map((f, i) => `"${f}",${truth(i)}`).join('\r\n');

    // One bad line refuses the whole upload, naming it; nothing is written.
    const refused = await csv(`uri,label\n${rows}\n/nowhere/x.png,cat\n`);
    assert.equal(refused.status, 400);
    const refusal = HttpErrorBodySchema.parse(await refused.json());
    assert.match(refusal.error.message, /item 11 \(\/nowhere\/x\.png\): no such image/);
    const badOption = await csv(`uri,label\n"${goldFiles[0] ?? ''}",horse\n`);
    assert.equal(badOption.status, 400);
    assert.match(HttpErrorBodySchema.parse(await badOption.json()).error.message, /horse/);
    assert.equal(Number((await db.knex('gold_labels').count('* as n'))[0]?.n), 0);

    const added = await csv(
      `label,uri\n${goldFiles.map((f, i) => `${truth(i)},"${f}"`).join('\n')}\n`,
    );
    assert.equal(added.status, 201);
    assert.deepEqual(await added.json(), { added: 10 });
    const share = await api('/gold/share', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ share: 0.5 }),
    });
    assert.equal(share.status, 200);
    const tooMuch = await api('/gold/share', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ share: 0.9 }),
    });
    assert.equal(tooMuch.status, 400);

    const goldIds = new Map<number, string>();
    const stored = await db
      .knex('samples')
      .whereIn('source_uri', goldFiles)
      .select<{ id: number; source_uri: string }[]>('id', 'source_uri');
    for (const s of stored) goldIds.set(s.id, truth(goldFiles.indexOf(s.source_uri)));

    // ann answers gold images right, bob always says "bird"; both label until nothing is left.
    const ann = await connectClient(server.url, { name: 'ann' });
    const bob = await connectClient(server.url, { name: 'bob' });
    const [a, b] = await Promise.all([
      labelAll(ann, (id) => goldIds.get(id) ?? 'cat'),
      labelAll(bob, () => 'bird'),
    ]);
    ann.close();
    bob.close();
    for (const [who, run] of [
      ['ann', a],
      ['bob', b],
    ] as const) {
      assert.equal(new Set(run.ids).size, run.ids.length, `${who} was handed an image twice`);
      const gold = run.ids.filter((id) => goldIds.has(id)).length;
      assert.ok(gold >= 1, `${who} saw ${gold} gold images in ${run.ids.length}`);
      // A gold image looks like any other: same payload keys, no conflict, it counts as theirs.
      assert.equal(run.payloadKeys.size, 1, [...run.payloadKeys].join(' | '));
      assert.equal(run.conflicts, 0);
      assert.deepEqual(
        run.mine,
        run.mine.map((_, i) => i + 1),
      );
    }
    // The normal queue never hands out gold images: 30 others, each labelled once.
    const normal = [...a.ids, ...b.ids].filter((id) => !goldIds.has(id));
    assert.equal(normal.length, 30);
    assert.equal(new Set(normal).size, 30);
    const goldHandouts = await db
      .knex('handouts')
      .whereIn('sample_id', [...goldIds.keys()])
      .select<{ gold: boolean }[]>('gold');
    assert.ok(goldHandouts.every((h) => h.gold));
    const counted = await db
      .knex('samples')
      .whereIn('id', [...goldIds.keys()])
      .sum<{ n: string }[]>('label_count as n');
    assert.equal(Number(counted[0]?.n), 0, 'answers to gold hand-outs are not counted');

    const stats = ProjectStatsSchema.parse(await (await api('/stats')).json());
    const of = (name: string) => stats.labellers.find((l) => l.name === name);
    const annGold = a.ids.filter((id) => goldIds.has(id)).length;
    assert.deepEqual([of('ann')?.goldAnswered, of('ann')?.goldCorrect], [annGold, annGold]);
    const bobGold = b.ids.filter((id) => goldIds.has(id)).length;
    assert.deepEqual([of('bob')?.goldAnswered, of('bob')?.goldCorrect], [bobGold, 0]);

    const list = GoldListSchema.parse(await (await api('/gold')).json());
    assert.equal(list.share, 0.5);
    assert.equal(list.items.length, 10);
    assert.equal(
      list.items.reduce((n, i) => n + i.answers, 0),
      annGold + bobGold,
    );
    assert.equal(
      list.items.reduce((n, i) => n + i.correct, 0),
      annGold,
    );

    // Retiring appends a row; the image rejoins the queue (it has no counted label).
    const [retiredId] = [...goldIds.keys()];
    assert.equal((await api(`/gold/${String(retiredId)}`, { method: 'DELETE' })).status, 204);
    assert.equal(GoldListSchema.parse(await (await api('/gold')).json()).items.length, 9);
    assert.equal(Number((await db.knex('gold_labels').count('* as n'))[0]?.n), 11);
    const retired = await db.knex('samples').where({ id: retiredId }).first<{ status: string }>();
    assert.equal(retired.status, 'open');
    assert.equal((await api('/gold/999999', { method: 'DELETE' })).status, 404);
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('gold: undoing an answer to a gold image gives it back as gold, uncounted and unleased', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'gold-undo', samples: 3 });
  const server = await startApp(db);
  try {
    const [first] = fixture.files;
    const put = await fetch(`${server.url}/api/projects/gold-undo/gold`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ uri: first, label: 'dog' }] }),
    });
    assert.equal(put.status, 201);
    await db.knex('projects').where({ name: 'gold-undo' }).update({ gold_share: 0.5 });
    const sample = await db.knex('samples').where({ source_uri: first }).first<{ id: number }>();
    // Labellers come until one is handed the gold image first (share 0.5: a few tries at most).
    let client: LabellerClient | undefined;
    for (let n = 0; n < 40 && client === undefined; n++) {
      const c = await connectClient(server.url, { name: `try-${String(n)}` });
      if ((await takeNext(c))?.id === sample.id) client = c;
      else c.close();
    }
    assert.ok(client, 'no labeller was handed the gold image');
    assert.equal((await labelAs(client, sample.id, 'cat')).conflict, false);
    const undo = await emitWithAck(client, 'sample:undo', {});
    assert.ok('data' in undo, JSON.stringify(undo));
    assert.equal(undo.data.sample.id, sample.id);
    assert.equal(undo.data.leased, true);
    assert.equal((await labelAs(client, sample.id, 'dog')).conflict, false);
    client.close();
    const row = await db
      .knex('samples')
      .where({ id: sample.id })
      .first<{ label_count: number; status: string; lease_owner: string | null }>();
    assert.deepEqual([row.label_count, row.status, row.lease_owner], [0, 'done', null]);
    const handouts = await db
      .knex('handouts')
      .where({ sample_id: sample.id })
      .select<{ gold: boolean }[]>('gold');
    assert.ok(handouts.length >= 2 && handouts.every((h) => h.gold));
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});
