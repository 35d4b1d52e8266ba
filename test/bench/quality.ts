/**
 * bench:quality (issue #18) — the real app (embedded Postgres, createApp, socket.io) with the
 * demo digits at overlap 3 and ten simulated socket.io labellers of known reliability: 6 careful
 * (95 % right), 3 careless (70 %), 1 answering at random. It then reads what the product says:
 * the final labels (`?view=final`, Dawid–Skene) against majority vote and a single answer, and
 * the agreement route per labeller against each one's true rate, and how many of the wrong final
 * labels the review list puts in its top 5 %. Gold: `--gold` images chosen at random get their
 * true answer by a CSV upload and are mixed into every stream at `--gold-share`; the stats route's
 * gold score of each labeller is set against its true rate (gold images are left out of the
 * final-label comparison, where their answer is known).
 * Usage: npm run bench:quality [-- --samples 600 --seed 1 --gold 100 --gold-share 0.05]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  AgreementReportSchema,
  FinalLabelRowSchema,
  LabelLogRowSchema,
  ProjectStatsSchema,
  ReviewListSchema,
} from '@al/contract';
import { createTestDatabase } from '@al/db/testing';
import { createLogger, DIGIT_LABELS, trueDigitLabelOf } from '@al/media';
import { seedDigitsDemo } from '@al/server';
import { startApp } from '../server/helpers';
import { createRng, deriveSeed, shuffleInPlace } from './al/rng';
import { SimLabeller } from './al/system/simLabeller';

const OVERLAP = 3;
const CREW: readonly { name: string; accuracy: number | 'random' }[] = [
  ...Array.from({ length: 6 }, (_, i) => ({ name: `careful-${String(i + 1)}`, accuracy: 0.95 })),
  ...Array.from({ length: 3 }, (_, i) => ({ name: `careless-${String(i + 1)}`, accuracy: 0.7 })),
  { name: 'random-1', accuracy: 'random' },
];

const ArgsSchema = z.object({
  samples: z.coerce.number().int().min(30).default(600),
  seed: z.coerce.number().int().default(1),
  gold: z.coerce.number().int().min(0).default(100),
  'gold-share': z.coerce.number().min(0).max(0.5).default(0.05),
});

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The answer a labeller of this reliability gives to an image of class `truth`. */
function answer(truth: string, accuracy: number | 'random', random: () => number): string {
  const pick = () => DIGIT_LABELS[Math.floor(random() * DIGIT_LABELS.length)] ?? '0';
  if (accuracy === 'random') return pick();
  if (random() < accuracy) return truth;
  const wrong = DIGIT_LABELS.filter((d) => d !== truth);
  return wrong[Math.floor(random() * wrong.length)] ?? '0';
}

/** Majority of the answers in log order; a tie goes to the earliest answer among the tied. */
function majority(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  return values.find((v) => counts.get(v) === top);
}

/** Uploads `--gold` random images' true answers as a CSV and sets the share; their ids. */
async function uploadGold(
  server: Awaited<ReturnType<typeof startApp>>,
  knex: Knex,
  truthOf: Map<number, string>,
  args: z.infer<typeof ArgsSchema>,
): Promise<Set<number>> {
  const rng = createRng(deriveSeed(args.seed, 67));
  const ids = shuffleInPlace(rng, [...truthOf.keys()]).slice(0, args.gold);
  if (ids.length === 0) return new Set();
  const rows = await knex<{ id: number; source_uri: string }>('samples')
    .whereIn('id', ids)
    .select('id', 'source_uri');
  const csv = rows.map((r) => `"${r.source_uri}",${truthOf.get(r.id) ?? ''}`).join('\n');
  const admin = { authorization: `Bearer ${server.app.adminToken}` };
  const post = await fetch(`${server.url}/api/projects/digits/gold`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'text/csv' },
    body: `uri,label\n${csv}\n`,
  });
  if (post.status !== 201)
    throw new Error(`gold upload: ${String(post.status)} ${await post.text()}`);
  const put = await fetch(`${server.url}/api/projects/digits/gold/share`, {
    method: 'PUT',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ share: args['gold-share'] }),
  });
  if (!put.ok) throw new Error(`gold share: ${String(put.status)}`);
  return new Set(ids);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string' },
      seed: { type: 'string' },
      gold: { type: 'string' },
      'gold-share': { type: 'string' },
    },
  });
  const args = ArgsSchema.parse(values);
  const db = await createTestDatabase({ poolMax: 12 });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-quality-'));
  const server = await startApp(db);
  try {
    await seedDigitsDemo({
      knex: db.knex,
      dataDir,
      count: args.samples,
      logger: createLogger('warn'),
    });
    await db.knex('projects').where({ name: 'digits' }).update({ labels_per_sample: OVERLAP });
    const truthOf = new Map<number, string>();
    for (const row of await db
      .knex<{ id: number; source_uri: string }>('samples')
      .select('id', 'source_uri')) {
      truthOf.set(row.id, trueDigitLabelOf(row.source_uri) ?? '');
    }
    const gold = await uploadGold(server, db.knex, truthOf, args);
    const started = performance.now();
    const problems = new Map<string, number>();
    await Promise.all(
      CREW.map(async (who, i) => {
        const random = createRng(deriveSeed(args.seed, 61, i));
        const labeller = await SimLabeller.connect(server.url, who.name, 'digits', problems);
        try {
          for (;;) {
            const sample = await labeller.next();
            if (!sample) return;
            await labeller.label(
              sample.id,
              answer(truthOf.get(sample.id) ?? '', who.accuracy, random),
            );
          }
        } finally {
          labeller.close();
        }
      }),
    );
    const labelSeconds = (performance.now() - started) / 1000;
    const auth = { headers: { authorization: `Bearer ${server.app.adminToken}` } };
    const lines = async (route: string) =>
      (await (await fetch(`${server.url}${route}`, auth)).text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown);
    const finals = (await lines('/api/projects/digits/labels?format=jsonl&view=final')).map((r) =>
      FinalLabelRowSchema.parse(r),
    );
    const log = (await lines('/api/projects/digits/labels?format=jsonl')).map((r) =>
      LabelLogRowSchema.parse(r),
    );
    const answers = new Map<number, { labeller: string; value: string }[]>();
    for (const row of log) {
      if (row.kind !== 'label' || row.conflict || typeof row.value !== 'string') continue;
      const list = answers.get(row.sampleId) ?? [];
      list.push({ labeller: row.labeller, value: row.value });
      answers.set(row.sampleId, list);
    }
    let finalRight = 0;
    let majorityRight = 0;
    let singleRight = 0;
    let answered = 0;
    const finalOf = new Map<number, string>();
    for (const row of finals) {
      const given = answers.get(row.sampleId) ?? [];
      if (typeof row.label !== 'string' || given.length === 0 || gold.has(row.sampleId)) continue;
      const truth = truthOf.get(row.sampleId);
      finalOf.set(row.sampleId, row.label);
      answered++;
      if (row.label === truth) finalRight++;
      if (majority(given.map((g) => g.value)) === truth) majorityRight++;
      if (given[0]?.value === truth) singleRight++;
    }
    const agreement = AgreementReportSchema.parse(
      await (await fetch(`${server.url}/api/projects/digits/agreement`, auth)).json(),
    );
    say(
      `bench:quality — ${String(args.samples)} demo digits, overlap ${String(OVERLAP)}, seed ${String(args.seed)}: ${String(log.length)} answers from ${String(CREW.length)} socket.io labellers in ${labelSeconds.toFixed(1)} s`,
    );
    if (problems.size > 0)
      say(`  problems: ${[...problems].map(([p, n]) => `${p} ×${String(n)}`).join(', ')}`);
    say(`  accuracy over ${String(answered)} images with answers (gold images left out):`);
    say(`    final label (Dawid–Skene, ?view=final)  ${pct(finalRight / answered)}`);
    say(`    majority vote (ties: earliest answer)   ${pct(majorityRight / answered)}`);
    say(`    a single answer (the first)             ${pct(singleRight / answered)}`);
    say(
      `    final − majority: ${((100 * (finalRight - majorityRight)) / answered).toFixed(1)} points (goal ≥ +2)`,
    );
    const stats = ProjectStatsSchema.parse(
      await (await fetch(`${server.url}/api/projects/digits/stats`, auth)).json(),
    );
    say(
      `  per labeller: true rate (this run) | gold score (stats route; goal: random-1 within 10 points after ≥ 20) | agreement with the final label | with others | κ`,
    );
    for (const who of CREW) {
      let right = 0;
      let withFinal = 0;
      let n = 0;
      let nonGold = 0;
      for (const [sampleId, given] of answers) {
        for (const g of given) {
          if (g.labeller !== who.name) continue;
          n++;
          if (g.value === truthOf.get(sampleId)) right++;
          if (g.value === finalOf.get(sampleId)) withFinal++;
          if (!gold.has(sampleId)) nonGold++;
        }
      }
      const a = agreement.labellers.find((l) => l.name === who.name);
      const g = stats.labellers.find((l) => l.name === who.name);
      const goldScore =
        g && g.goldAnswered > 0
          ? `${pct(g.goldCorrect / g.goldAnswered).padStart(6)} of ${String(g.goldAnswered).padStart(3)} (${(100 * (g.goldCorrect / g.goldAnswered - right / Math.max(1, n))).toFixed(1)})`
          : '–';
      say(
        `    ${who.name.padEnd(11)} ${String(n).padStart(4)} answers  ${pct(right / Math.max(1, n)).padStart(6)} | ${goldScore} | ${pct(withFinal / Math.max(1, nonGold)).padStart(6)} | ${a?.agreement == null ? '–' : pct(a.agreement).padStart(6)} | ${a?.kappa == null ? '–' : a.kappa.toFixed(2)}`,
      );
    }
    say(
      `  Fleiss' κ ${agreement.fleissKappa?.toFixed(2) ?? '–'} over ${String(agreement.items)} images`,
    );
    const top = Math.ceil(answered * 0.05);
    const review = ReviewListSchema.parse(
      await (
        await fetch(`${server.url}/api/projects/digits/review?limit=${String(top)}`, auth)
      ).json(),
    );
    const wrong = [...finalOf].filter(([id, label]) => label !== truthOf.get(id)).map(([id]) => id);
    // Gold images are never wrong and never listed: the share is of the others.
    const listed = new Set(review.map((c) => c.sampleId));
    const caught = wrong.filter((id) => listed.has(id)).length;
    say(
      `  review list (no model: labellers only): ${String(caught)} of ${String(wrong.length)} wrong final labels in its top 5 % (${String(top)} images) = ${pct(caught / Math.max(1, wrong.length))} (goal ≥ 50 %)`,
    );
  } finally {
    await server.close();
    await db.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
