/**
 * Test fixture: a fresh database with the MNIST digits demo (real PNG files in a temp
 * folder, imported by the real importer), the wasm backend, and simulated labellers who
 * answer from the true digit, through the real queue API (nextSample + labelSample).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getProjectByName, labelSample, nextSample, type DbProjectRow } from '@al/db';
import { createTestDatabase, type TestDatabase } from '../../../db/src/testing/testPostgres';
import { trueDigitLabelOf } from '../../../server/src/demo/digitsDemo';
import { seedDigitsDemo } from '../../../server/src/demo/seedDigits';
import { createLogger } from '../../../server/src/logger';
import { chooseBackend, type ChosenBackend } from '../backend/chooseBackend';

export const silentLogger = createLogger('silent');

export interface DigitsFixture {
  db: TestDatabase;
  project: DbProjectRow;
  backend: ChosenBackend;
  destroy: () => Promise<void>;
}

export async function createDigitsFixture(count: number): Promise<DigitsFixture> {
  const db = await createTestDatabase({ poolMax: 6 });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'orchestrator-digits-'));
  await seedDigitsDemo({ knex: db.knex, dataDir, count, logger: silentLogger });
  const project = await getProjectByName({ tx: db.knex, name: 'digits' });
  if (!project) throw new Error('demo project missing');
  const backend = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger: silentLogger });
  return {
    db,
    project,
    backend,
    destroy: async () => {
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `count` labels, each from a labeller who takes the next sample and answers truly. */
export async function labelFromQueue(
  f: DigitsFixture,
  count: number,
  labeller = 'sim',
): Promise<number> {
  let done = 0;
  for (; done < count; done++) {
    const sample = await nextSample(f.db.knex, {
      projectId: f.project.id,
      labeller,
      ttlSeconds: 60,
    });
    if (!sample) break;
    const value = trueDigitLabelOf(sample.source_uri);
    if (value === undefined) throw new Error(`no true label for ${sample.source_uri}`);
    await labelSample(f.db.knex, { projectId: f.project.id, sampleId: sample.id, labeller, value });
  }
  return done;
}

/** id → priority of the project's samples, for before/after comparisons. */
export async function priorityMap(f: DigitsFixture): Promise<Map<number, number>> {
  const rows = await f.db
    .knex('samples')
    .select<{ id: number; priority: number }[]>('id', 'priority')
    .where({ project_id: f.project.id });
  return new Map(rows.map((r) => [r.id, r.priority]));
}
