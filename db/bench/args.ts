import { parseArgs } from 'node:util';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

const BenchArgs = z.object({
  concurrency: z
    .string()
    .default('16,64,256')
    .transform((s) => s.split(',').map((part) => positiveInt.parse(part.trim()))),
  seconds: z.coerce.number().positive().max(600).default(10),
  warmup: z.coerce.number().min(0).max(60).default(1),
  /** Queue depth per scenario; by default sized from the window so the run never drains. */
  items: positiveInt.max(5_000_000).optional(),
  systems: z
    .string()
    .default('ours,pg-boss')
    .transform((s) =>
      s.split(',').map((part) => z.enum(['ours', 'ours-single', 'pg-boss']).parse(part.trim())),
    ),
  benchDatabaseUrl: z.url().optional(),
});

export type BenchArgs = z.infer<typeof BenchArgs>;
export type SystemName = BenchArgs['systems'][number];

/** Parses the command line (and BENCH_DATABASE_URL) once, at the edge. */
export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      items: { type: 'string' },
      systems: { type: 'string' },
    },
    strict: true,
  });
  return BenchArgs.parse({ ...values, benchDatabaseUrl: env.BENCH_DATABASE_URL || undefined });
}
