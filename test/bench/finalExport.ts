/**
 * bench:final-export — times `GET /labels?view=final` (issue #18's goal: 100k images in ≤ 5 s).
 * Seeds 100k samples with 3 answers each (10 labellers, 90 % right, seeded noise) on a
 * throw-away embedded Postgres, starts the real app and reads both formats to the last byte.
 * Usage: npm run bench:final-export [-- --samples N]
 */
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { createProject, insertSamples, listSampleUrisPage } from '@al/db';
import { createTestDatabase } from '@al/db/testing';
import { startApp } from '../server/helpers';
import { createRng } from './al/rng';

const GOAL_SECONDS = 5;
const LABELLERS = 10;
const OVERLAP = 3;
const OPTIONS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
// 4,000 samples × 3 answers × 5 columns stays under Postgres's 65,535 bind parameters.
const CHUNK = 4_000;

const ArgsSchema = z.object({ samples: z.coerce.number().int().positive().default(100_000) });

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: 'string' } } });
  const { samples } = ArgsSchema.parse(values);
  const db = await createTestDatabase();
  try {
    const seedStart = performance.now();
    const project = await createProject({
      tx: db.knex,
      project: { name: 'bench', options: OPTIONS, labelsPerSample: OVERLAP },
    });
    for (let start = 0; start < samples; start += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, samples - start) }, (_, k) => ({
        sourceUri: `/bench/${start + k}.png`,
        contentHash: createHash('sha256')
          .update(String(start + k))
          .digest('hex'),
        width: 28,
        height: 28,
        byteSize: 100,
        priority: 0,
      }));
      await insertSamples({ tx: db.knex, projectId: project.id, samples: rows });
    }
    // Answers: truth is the sample's ordinal mod 10; each labeller is right 90 % of the time.
    const rng = createRng(18);
    let ordinal = 0;
    for (let afterId = 0; ;) {
      const page = await listSampleUrisPage({
        tx: db.knex,
        projectId: project.id,
        afterId,
        limit: CHUNK,
      });
      const answers = page.flatMap((sample) => {
        const i = ordinal++;
        return Array.from({ length: OVERLAP }, (_, a) => {
          const right = rng() < 0.9;
          const value = right ? i % OPTIONS.length : Math.floor(rng() * OPTIONS.length);
          return {
            project_id: project.id,
            sample_id: sample.id,
            labeller: `labeller-${(i + a * 3) % LABELLERS}`,
            kind: 'label',
            value: JSON.stringify(OPTIONS[value]),
          };
        });
      });
      if (answers.length > 0) await db.knex('labels').insert(answers);
      const last = page.at(-1);
      if (!last || page.length < CHUNK) break;
      afterId = last.id;
    }
    await db.knex.raw('ANALYZE');
    say(
      `seeded ${samples} samples × ${OVERLAP} answers in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const server = await startApp(db);
    try {
      for (const format of ['jsonl', 'csv'] as const) {
        const started = performance.now();
        const res = await fetch(
          `${server.url}/api/projects/bench/labels?format=${format}&view=final`,
        );
        if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
        let firstByte = 0;
        let newlines = 0;
        let bytes = 0;
        const reader = res.body.getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          if (firstByte === 0) firstByte = performance.now() - started;
          bytes += read.value.byteLength;
          for (const byte of read.value) if (byte === 10) newlines++;
        }
        const seconds = (performance.now() - started) / 1000;
        const rows = format === 'csv' ? newlines - 1 : newlines;
        if (rows !== samples) throw new Error(`${format}: ${rows} rows, expected ${samples}`);
        say(
          `view=final ${format}: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s ` +
            `(first byte after ${(firstByte / 1000).toFixed(2)} s; goal ≤ ${GOAL_SECONDS} s: ` +
            `${seconds <= GOAL_SECONDS ? 'met' : 'MISSED'})`,
        );
      }
    } finally {
      await server.close();
    }
  } finally {
    await db.destroy();
  }
}

await main();
