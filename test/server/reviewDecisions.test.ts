/**
 * Review decisions over the real app and Postgres: a reviewer corrects and confirms images'
 * final labels; each decision is a new label_reviews row that overrides the labellers' answers
 * in the final-label export, leaves the review list, and stays in the image's history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { createTestDatabase } from '@al/db/testing';
import {
  FinalLabelRowSchema,
  HttpErrorBodySchema,
  ReviewHistorySchema,
  ReviewListSchema,
  ReviewRecordedSchema,
  type FinalLabelRow,
} from '@al/contract';
import { createFixtureProject, startApp } from './helpers';

/** An answer in force, appended to the label log as the server would (value as JSON). */
async function answer(
  knex: Knex,
  projectId: number,
  sampleId: number,
  labeller: string,
  value: string | string[],
) {
  await knex('labels').insert({
    project_id: projectId,
    sample_id: sampleId,
    labeller,
    kind: 'label',
    value: JSON.stringify(value),
  });
}

test('review decisions: append-only rows that override final labels, with their history', async () => {
  const db = await createTestDatabase();
  const zoo = await createFixtureProject(db.knex, { name: 'zoo', samples: 4 });
  const tags = await createFixtureProject(db.knex, {
    name: 'tags',
    samples: 1,
    options: ['a', 'b', 'c'],
    multiLabel: true,
  });
  const server = await startApp(db);
  const call = async (path: string, body?: unknown, token = server.app.adminToken) => {
    const res = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const finalRows = async () => {
    const res = await fetch(`${server.url}/api/projects/zoo/labels?format=jsonl&view=final`);
    const text = await res.text();
    const rows = text
      .trim()
      .split('\n')
      .map((line) => FinalLabelRowSchema.parse(JSON.parse(line)));
    return new Map<number, FinalLabelRow>(rows.map((r) => [r.sampleId, r]));
  };
  const refusal = (res: { body: unknown }) => HttpErrorBodySchema.parse(res.body).error.message;
  try {
    const ids = (
      await db.knex('samples').where({ project_id: zoo.project.id }).orderBy('id').select('id')
    ).map((r: { id: number }) => r.id);
    const [s0, s1, s2, s3] = ids as [number, number, number, number];
    const add = (sampleId: number, labeller: string, value: string) =>
      answer(db.knex, zoo.project.id, sampleId, labeller, value);
    // s0: ann and bob disagree; s1: 2–1 for dog; s2: one answer; s3: nobody answered.
    await add(s0, 'ann', 'cat');
    await add(s0, 'bob', 'dog');
    for (const [labeller, value] of [
      ['ann', 'dog'],
      ['bob', 'dog'],
      ['cy', 'bird'],
    ] as const) {
      await add(s1, labeller, value);
    }
    await add(s2, 'ann', 'bird');

    const list = async () =>
      ReviewListSchema.parse((await call('/api/projects/zoo/review?limit=10')).body);
    const before = await list();
    assert.deepEqual(new Set(before.map((c) => c.sampleId)), new Set([s0, s1, s2]));
    assert.deepEqual(
      before.find((c) => c.sampleId === s0)?.votes,
      [
        { labeller: 'ann', label: 'cat' },
        { labeller: 'bob', label: 'dog' },
      ],
      'who said what, oldest first',
    );
    const finalBefore = (await finalRows()).get(s0)?.label;
    assert.ok(finalBefore === 'cat' || finalBefore === 'dog', String(finalBefore));

    // A correction: 201 with the label it replaced; the export now says bird, confidence 1.
    const corrected = await call(`/api/projects/zoo/review/${s0}`, {
      label: 'bird',
      reviewer: 'rita',
    });
    assert.equal(corrected.status, 201);
    const first = ReviewRecordedSchema.parse(corrected.body);
    assert.deepEqual(
      [first.sampleId, first.label, first.previous, first.reviewer],
      [s0, 'bird', finalBefore, 'rita'],
    );
    let final = await finalRows();
    assert.deepEqual(
      [final.get(s0)?.label, final.get(s0)?.confidence, final.get(s0)?.answers],
      ['bird', 1, 2],
      'the review overrides; answers still counts the labellers',
    );
    assert.equal(final.get(s1)?.label, 'dog', 'other images keep the labellers’ label');

    // A second decision on the same image (confirming dog): both rows are kept, newest in force.
    const second = ReviewRecordedSchema.parse(
      (await call(`/api/projects/zoo/review/${s0}`, { label: 'dog' })).body,
    );
    assert.deepEqual([second.previous, second.reviewer], ['bird', 'admin']);
    const history = ReviewHistorySchema.parse(
      (await call(`/api/projects/zoo/review/${s0}/history`)).body,
    );
    assert.deepEqual(
      history.map((h) => [h.id, h.label, h.reviewer]),
      [
        [first.id, 'bird', 'rita'],
        [second.id, 'dog', 'admin'],
      ],
    );
    const stored = await db.knex('label_reviews').orderBy('id').select('sample_id', 'value');
    assert.deepEqual(stored, [
      { sample_id: s0, value: 'bird' },
      { sample_id: s0, value: 'dog' },
    ]);
    assert.equal((await finalRows()).get(s0)?.label, 'dog');

    // Confirming s1 as it is; the list leaves out both reviewed images.
    const confirmed = ReviewRecordedSchema.parse(
      (await call(`/api/projects/zoo/review/${s1}`, { label: 'dog' })).body,
    );
    assert.equal(confirmed.previous, 'dog');
    assert.deepEqual(
      (await list()).map((c) => c.sampleId),
      [s2],
    );

    // An image nobody answered can be decided too: no previous label, 0 answers.
    const fresh = ReviewRecordedSchema.parse(
      (await call(`/api/projects/zoo/review/${s3}`, { label: 'cat' })).body,
    );
    assert.equal(fresh.previous, null);
    final = await finalRows();
    assert.deepEqual(
      [final.get(s3)?.label, final.get(s3)?.confidence, final.get(s3)?.answers],
      ['cat', 1, 0],
    );

    // Refusals, none of which leaves a row.
    const rows = await db.knex('label_reviews').count<{ n: string }[]>({ n: '*' });
    const cow = await call(`/api/projects/zoo/review/${s2}`, { label: 'cow' });
    assert.equal(cow.status, 400);
    assert.match(refusal(cow), /"cow" is not an option of "zoo" \(cat, dog, bird\)/);
    const many = await call(`/api/projects/zoo/review/${s2}`, { label: ['cat'] });
    assert.equal(many.status, 400);
    assert.match(refusal(many), /one label, as a string/);
    const elsewhere = await call(`/api/projects/tags/review/${s2}`, { label: ['a'] });
    assert.equal(elsewhere.status, 400);
    assert.match(refusal(elsewhere), /not an image of "tags"/);
    assert.equal((await call(`/api/projects/zoo/review/99999999`, { label: 'cat' })).status, 404);
    assert.equal((await call(`/api/projects/nope/review/${s2}`, { label: 'cat' })).status, 404);
    assert.equal((await call(`/api/projects/zoo/review/${s2}`, { label: 5 })).status, 400);
    assert.equal((await call(`/api/projects/zoo/review/x`, { label: 'cat' })).status, 400);
    const blank = await call(`/api/projects/zoo/review/${s2}`, { label: 'cat', reviewer: ' ' });
    assert.equal(blank.status, 400);
    const anonymous = await call(`/api/projects/zoo/review/${s2}`, { label: 'cat' }, 'wrong');
    assert.equal(anonymous.status, 401);
    assert.equal(
      (await call(`/api/projects/zoo/review/${s2}/history`, undefined, 'x')).status,
      401,
    );
    assert.deepEqual(await db.knex('label_reviews').count<{ n: string }[]>({ n: '*' }), rows);

    // Multi-label: a subset of the options, stored as a sorted set; an unknown one is refused.
    const [tagSample] = await db
      .knex('samples')
      .where({ project_id: tags.project.id })
      .pluck<number[]>('id');
    const set = ReviewRecordedSchema.parse(
      (await call(`/api/projects/tags/review/${String(tagSample)}`, { label: ['c', 'a', 'c'] }))
        .body,
    );
    assert.deepEqual(set.label, ['a', 'c']);
    const unknown = await call(`/api/projects/tags/review/${String(tagSample)}`, {
      label: ['a', 'z'],
    });
    assert.equal(unknown.status, 400);
    assert.match(refusal(unknown), /"z" not among the options of "tags"/);
  } finally {
    await server.close();
    await zoo.cleanup();
    await tags.cleanup();
    await db.destroy();
  }
});
