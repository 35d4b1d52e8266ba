/**
 * The README's backup recipe on a running system: labellers label over real sockets while
 * pg_dump (custom format) runs; the dump is restored with pg_restore --no-owner into a fresh
 * Postgres cluster, and every label acknowledged before the dump began is there; a second dump
 * after the last ack restores to exactly the live label table, and the server runs on it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import pg from 'pg';
import { createDb, migrateLatest } from '@al/db';
import {
  connectClient,
  createFixtureProject,
  emitWithAck,
  startApp,
  type LabellerClient,
} from '../server/helpers';
import {
  debianPostgresMissing,
  PG_DUMP,
  PG_RESTORE,
  startDebianCluster,
  type DebianCluster,
} from './debianPostgres';

const run = promisify(execFile);
const SAMPLES = 120;
const LABELLERS = 4;

async function createDatabase(cluster: DebianCluster, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return cluster.urlFor(name);
}

/** Every label row as one comparable string. */
async function labelRows(knex: Knex): Promise<string[]> {
  const rows = await knex('labels')
    .orderBy('id')
    // bigint columns may come back as strings: compare them as strings.
    .select<{ id: unknown; sample_id: unknown; labeller: string; kind: string; value: unknown }[]>(
      'id',
      'sample_id',
      'labeller',
      'kind',
      'value',
    );
  return rows.map((r) =>
    JSON.stringify([String(r.id), Number(String(r.sample_id)), r.labeller, r.kind, r.value]),
  );
}

async function dump(url: string, file: string): Promise<number> {
  const started = performance.now();
  await run(PG_DUMP, ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${url}`], {
    timeout: 30_000,
  });
  return performance.now() - started;
}

async function restore(url: string, file: string): Promise<number> {
  const started = performance.now();
  await run(PG_RESTORE, ['--no-owner', '--exit-on-error', `--dbname=${url}`, file], {
    timeout: 30_000,
  });
  return performance.now() - started;
}

/** One labeller: next → label until the queue is empty; records each acknowledged label. */
async function labelUntilEmpty(client: LabellerClient, name: string, acked: Set<string>) {
  for (;;) {
    const next = await emitWithAck(client, 'sample:next', {});
    assert.ok('data' in next, JSON.stringify(next));
    const sample = next.data.sample;
    if (!sample) return;
    const value = sample.options[sample.id % sample.options.length] ?? 'cat';
    const ack = await emitWithAck(client, 'sample:label', {
      sampleId: sample.id,
      value,
    });
    assert.ok('data' in ack, JSON.stringify(ack));
    acked.add(JSON.stringify([sample.id, name, value]));
  }
}

test(
  'pg_dump of a running system restores into a fresh Postgres with every label',
  { skip: debianPostgresMissing(), timeout: 90_000 },
  async (t) => {
    const live = await startDebianCluster();
    const fresh = await startDebianCluster();
    const dir = await mkdtemp(path.join(tmpdir(), 'labeller-backup-'));
    const liveUrl = await createDatabase(live, 'labeller');
    const knex = createDb({ connectionString: liveUrl, poolMax: 10 });
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      await migrateLatest(knex);
      const fixture = await createFixtureProject(knex, { name: 'backed-up', samples: SAMPLES });
      cleanups.push(fixture.cleanup);
      const db = { url: liveUrl, knex, destroy: () => Promise.resolve() };
      const server = await startApp(db);
      cleanups.push(server.close);

      const acked = new Set<string>();
      const names = Array.from({ length: LABELLERS }, (_, i) => `labeller-${i}`);
      const clients = await Promise.all(names.map((name) => connectClient(server.url, { name })));
      cleanups.push(async () => {
        for (const client of clients) client.close();
        await Promise.resolve();
      });
      const labelling = Promise.all(
        clients.map((client, i) => labelUntilEmpty(client, names[i] ?? '', acked)),
      );

      // Mid-run: snapshot what is acknowledged, then dump while the labellers keep going.
      while (acked.size < SAMPLES / 3) await new Promise((r) => setTimeout(r, 10));
      const ackedBeforeDump = [...acked];
      const midFile = path.join(dir, 'mid.dump');
      const midDumpMs = await dump(liveUrl, midFile);
      const ackedAfterMidDump = acked.size;
      await labelling;
      assert.equal(acked.size, SAMPLES, 'every sample labelled once');

      // After the last ack, with the server up and the labellers still connected.
      const endFile = path.join(dir, 'end.dump');
      const endDumpMs = await dump(liveUrl, endFile);
      const liveRows = await labelRows(knex);

      const midUrl = await createDatabase(fresh, 'restored_mid');
      const endUrl = await createDatabase(fresh, 'restored_end');
      const midRestoreMs = await restore(midUrl, midFile);
      const endRestoreMs = await restore(endUrl, endFile);

      const midKnex = createDb({ connectionString: midUrl, poolMax: 2 });
      const endKnex = createDb({ connectionString: endUrl, poolMax: 4 });
      cleanups.push(
        () => midKnex.destroy(),
        () => endKnex.destroy(),
      );
      const restoredMid = new Set(
        (await labelRows(midKnex)).map((row) => {
          const [, sampleId, labeller, , value] = JSON.parse(row) as unknown[];
          return JSON.stringify([sampleId, labeller, value]);
        }),
      );
      const missing = ackedBeforeDump.filter((label) => !restoredMid.has(label));
      assert.deepEqual(missing, [], 'every label acked before the dump began is in it');
      assert.ok(restoredMid.size >= ackedBeforeDump.length);
      assert.deepEqual(await labelRows(endKnex), liveRows, 'the final dump is the label table');

      // The restored database is a working system: nothing to migrate, the export lists all.
      await migrateLatest(endKnex);
      const restoredServer = await startApp({
        url: endUrl,
        knex: endKnex,
        destroy: () => Promise.resolve(),
      });
      cleanups.push(restoredServer.close);
      const exported = await fetch(
        `${restoredServer.url}/api/projects/backed-up/labels?format=jsonl`,
      );
      assert.equal(exported.status, 200);
      const lines = (await exported.text()).trim().split('\n');
      assert.equal(lines.length, SAMPLES);

      const size = (await stat(endFile)).size;
      t.diagnostic(
        `backup: ${SAMPLES} labels by ${LABELLERS} labellers; mid-run dump ${midDumpMs.toFixed(0)} ms ` +
          `(${ackedBeforeDump.length} acked before, ${ackedAfterMidDump} after, ` +
          `${restoredMid.size} in it), restore ${midRestoreMs.toFixed(0)} ms; final dump ` +
          `${endDumpMs.toFixed(0)} ms, ${(size / 1024).toFixed(0)} KiB, restore ` +
          `${endRestoreMs.toFixed(0)} ms`,
      );
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
      await knex.destroy();
      await live.stop();
      await fresh.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
