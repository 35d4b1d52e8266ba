import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { createTestDatabase } from '@al/db/testing';
import {
  AgreementReportSchema,
  FinalLabelRowSchema,
  HttpErrorBodySchema,
  ProjectStatsSchema,
  ReviewListSchema,
  type FinalLabelRow,
} from '@al/contract';
import { listEffectiveLabels } from '@al/db';
import { connectClient, createFixtureProject, emitWithAck, startApp } from './helpers';

interface LogRow {
  labeller: string;
  kind?: 'label' | 'skip' | 'undo';
  value?: string | string[];
  conflict?: boolean;
  undoesId?: number;
}

/** Appends label-log rows as the server would (value as JSON); returns the new row's id. */
async function insertAnswer(
  knex: Knex,
  projectId: number,
  sampleId: number,
  answer: LogRow,
): Promise<number> {
  const [row] = await knex('labels')
    .insert({
      project_id: projectId,
      sample_id: sampleId,
      labeller: answer.labeller,
      kind: answer.kind ?? 'label',
      value: answer.value === undefined ? null : JSON.stringify(answer.value),
      undoes_id: answer.undoesId ?? null,
      conflict: answer.conflict ?? false,
    })
    .returning<{ id: number }[]>('id');
  if (!row) throw new Error('no label row');
  return row.id;
}

function parseJsonl(text: string): FinalLabelRow[] {
  return text
    .trim()
    .split('\n')
    .map((line) => FinalLabelRowSchema.parse(JSON.parse(line)));
}

test('view=final: one row per image, Dawid–Skene label, answers in force only, csv and jsonl', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'zoo', samples: 6 });
  const server = await startApp(db);
  const get = (p: string) => fetch(`${server.url}${p}`);
  try {
    const ids = (
      await db.knex('samples').where({ project_id: fixture.project.id }).orderBy('id').select('id')
    ).map((r: { id: number }) => r.id);
    const [s0, s1, s2, s3, s4] = ids as [number, number, number, number, number, number];

    // A real labeller through the socket: the first hand-out is s0 (highest priority).
    const dee = await connectClient(server.url, { name: 'dee' });
    const next = await emitWithAck(dee, 'sample:next', {});
    assert.ok('data' in next && next.data.sample?.id === s0);
    assert.ok('data' in (await emitWithAck(dee, 'sample:label', { sampleId: s0, value: 'cat' })));
    dee.close();

    const add = (sampleId: number, answer: Parameters<typeof insertAnswer>[3]) =>
      insertAnswer(db.knex, fixture.project.id, sampleId, answer);
    for (const labeller of ['ann', 'bob', 'cy']) await add(s0, { labeller, value: 'cat' });
    await add(s1, { labeller: 'ann', value: 'dog' });
    await add(s1, { labeller: 'bob', value: 'dog' });
    await add(s1, { labeller: 'cy', value: 'bird' });
    await add(s2, { labeller: 'ann', value: 'bird' });
    // s3: a label taken back by an undo, and a skip: no answer in force.
    const undone = await add(s3, { labeller: 'ann', value: 'cat' });
    await add(s3, { labeller: 'ann', kind: 'undo', undoesId: undone });
    await add(s3, { labeller: 'bob', kind: 'skip' });
    // s4: only a conflict (lost lease), kept in the log but not counted.
    await add(s4, { labeller: 'cy', value: 'dog', conflict: true });

    const jsonlRes = await get('/api/projects/zoo/labels?format=jsonl&view=final');
    assert.equal(jsonlRes.status, 200);
    assert.match(jsonlRes.headers.get('content-type') ?? '', /ndjson/);
    const rows = parseJsonl(await jsonlRes.text());
    assert.deepEqual(
      rows.map((r) => r.sampleId),
      ids,
      'every image once, in id order',
    );
    assert.deepEqual(
      rows.map((r) => [r.label, r.answers]),
      [
        ['cat', 4],
        ['dog', 3],
        ['bird', 1],
        [null, 0],
        [null, 0],
        [null, 0],
      ],
    );
    assert.deepEqual(
      rows.map((r) => r.uri),
      fixture.files,
    );
    const [r0, r1, r2, r3] = rows as [FinalLabelRow, FinalLabelRow, FinalLabelRow, FinalLabelRow];
    assert.ok(r0.confidence !== null && r0.confidence > 0.95, `${r0.confidence}`);
    assert.ok(r1.confidence !== null && r1.confidence > 0.5 && r1.confidence < r0.confidence);
    assert.ok(r2.confidence !== null && r2.confidence > 1 / 3 && r2.confidence < r1.confidence);
    assert.equal(r3.confidence, null);
    assert.equal(Object.keys(r0).join(), 'sampleId,uri,label,confidence,answers');

    const csv = await (await get('/api/projects/zoo/labels?format=csv&view=final')).text();
    const lines = csv.trimEnd().split('\n');
    assert.equal(lines[0], 'sampleId,uri,label,confidence,answers');
    assert.equal(lines[1], `${s0},${fixture.files[0] ?? ''},cat,${r0.confidence},4`);
    assert.equal(lines[4], `${s3},${fixture.files[3] ?? ''},,,0`);
    assert.equal(lines.length, 7);

    // view=raw (and no view) stay the answer log.
    const raw = await (await get('/api/projects/zoo/labels?format=jsonl&view=raw')).text();
    assert.equal(raw, await (await get('/api/projects/zoo/labels?format=jsonl')).text());
    assert.equal(
      raw.trim().split('\n').length,
      12,
      'every log row, undo, skip and conflict included',
    );

    const bad = await get('/api/projects/zoo/labels?format=jsonl&view=best');
    assert.equal(bad.status, 400);
    assert.match(
      HttpErrorBodySchema.parse(await bad.json()).error.message,
      /view must be raw or final/,
    );
    assert.equal((await get('/api/projects/nope/labels?view=final')).status, 404);

    // Agreement over the same answers in force (admin only): s0 (4 × cat) and s1 (dog, dog,
    // bird) have several answers; s2's single one is no agreement.
    assert.equal((await get('/api/projects/zoo/agreement')).status, 401);
    const agreementRes = await fetch(`${server.url}/api/projects/zoo/agreement`, {
      headers: { authorization: `Bearer ${server.app.adminToken}` },
    });
    const report = AgreementReportSchema.parse(await agreementRes.json());
    assert.equal(report.items, 2);
    const byName = new Map(report.labellers.map((l) => [l.name, l]));
    // ann: 3 of 3 others agree on s0, 1 of 2 on s1; cy: 3 of 3, then 0 of 2; dee: s0 only.
    assert.equal(byName.get('ann')?.agreement, 4 / 5);
    assert.equal(byName.get('cy')?.agreement, 3 / 5);
    assert.equal(byName.get('dee')?.agreement, 1);
    assert.deepEqual([byName.get('ann')?.answers, byName.get('ann')?.sharedItems], [3, 2]);
    const pair = (a: string, b: string) => report.pairs.find((p) => p.a === a && p.b === b);
    assert.deepEqual([pair('ann', 'bob')?.shared, pair('ann', 'bob')?.agreement], [2, 1]);
    assert.equal(pair('ann', 'cy')?.agreement, 0.5);
    assert.deepEqual(
      report.perClass.map((c) => c.label),
      ['cat', 'dog', 'bird'],
    );

    // The review list: least certain final labels first (s2's lone answer, then s1's 2–1).
    const review = async (query: string) =>
      ReviewListSchema.parse(
        await (
          await fetch(`${server.url}/api/projects/zoo/review${query}`, {
            headers: { authorization: `Bearer ${server.app.adminToken}` },
          })
        ).json(),
      );
    assert.deepEqual(
      (await review('?limit=3')).map((c) => c.sampleId),
      [s2, s1, s0],
    );
    // A confident model that says s0 is a dog puts the unanimous 'cat' on top.
    await db
      .knex('samples')
      .where({ id: s0 })
      .update({
        predicted_label: JSON.stringify('dog'),
        predicted_confidence: 0.999_999,
      });
    const [top] = await review('?limit=1');
    assert.deepEqual([top?.sampleId, top?.model?.label], [s0, 'dog']);
    assert.equal((await get('/api/projects/zoo/review')).status, 401);

    // cy excluded: their answers leave final labels, agreement and training, and are kept.
    const admin = (path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${server.app.adminToken}`,
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const exclusion = '/api/projects/zoo/labellers/cy/exclusion';
    const jobsBefore = await db.knex('retrain_jobs').count<{ n: string }[]>({ n: '*' });
    assert.deepEqual(await (await admin(exclusion, { excluded: true })).json(), { excluded: true });
    const answersOf = async () =>
      parseJsonl(await (await get('/api/projects/zoo/labels?format=jsonl&view=final')).text())
        .slice(0, 2)
        .map((r) => [r.label, r.answers]);
    assert.deepEqual(await answersOf(), [
      ['cat', 3],
      ['dog', 2],
    ]);
    const training = await listEffectiveLabels({ tx: db.knex, projectId: fixture.project.id });
    assert.equal(training.length, 6, 'dee, ann ×3, bob ×2: cy’s 2 answers left out');
    const stats = ProjectStatsSchema.parse(await (await get('/api/projects/zoo/stats')).json());
    assert.deepEqual(
      stats.labellers.filter((l) => l.excluded).map((l) => l.name),
      ['cy'],
    );
    const jobsAfter = await db.knex('retrain_jobs').count<{ n: string }[]>({ n: '*' });
    assert.equal(Number(jobsAfter[0]?.n), Number(jobsBefore[0]?.n) + 1, 'a retrain follows');
    assert.equal((await admin(exclusion, { excluded: 'no' })).status, 400);
    await admin(exclusion, { excluded: false });
    assert.deepEqual(await answersOf(), [
      ['cat', 4],
      ['dog', 3],
    ]);
    const history = await db
      .knex('labeller_exclusions')
      .orderBy('id')
      .select('labeller', 'excluded');
    assert.deepEqual(history, [
      { labeller: 'cy', excluded: true },
      { labeller: 'cy', excluded: false },
    ]);
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('view=final, multi-label: per-option majority, label an array (a|b in CSV)', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, {
    name: 'tags',
    samples: 2,
    options: ['a', 'b', 'c'],
    multiLabel: true,
  });
  const server = await startApp(db, { config: { LABELLER_TOKEN: 'team-token-42' } });
  const get = (p: string, token?: string) =>
    fetch(`${server.url}${p}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  try {
    const [first] = (
      await db.knex('samples').where({ project_id: fixture.project.id }).orderBy('id').select('id')
    ).map((r: { id: number }) => r.id);
    assert.ok(first !== undefined);
    for (const [labeller, value] of [
      ['ann', ['a', 'b']],
      ['bob', ['a']],
      ['cy', ['b', 'a']],
    ] as const) {
      await insertAnswer(db.knex, fixture.project.id, first, { labeller, value: [...value] });
    }
    // Same auth as the raw export: the labeller token is required.
    const path = '/api/projects/tags/labels?format=jsonl&view=final';
    assert.equal((await get(path)).status, 401);
    const rows = parseJsonl(await (await get(path, 'team-token-42')).text());
    const [tagged, untouched] = rows;
    assert.ok(tagged && untouched && rows.length === 2);
    assert.deepEqual(tagged.label, ['a', 'b']);
    assert.equal(tagged.confidence, (1 + 2 / 3 + 1) / 3);
    assert.equal(tagged.answers, 3);
    assert.deepEqual([untouched.label, untouched.confidence, untouched.answers], [null, null, 0]);
    const csv = await (await get(path.replace('jsonl', 'csv'), 'team-token-42')).text();
    assert.match(csv.split('\n')[1] ?? '', /,a\|b,0\.8888\d+,3$/);
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});
