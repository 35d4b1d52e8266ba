/** Command-line options of `npm run bench:trainer-load`, parsed once with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `npm run bench:trainer-load [-- --seconds 60 --warmup 10 --clients 200
    --busy-samples 500000 --digits 10000 --prelabels 2000
    --orchestrator supervised|niced|not-niced|sched-idle | --no-nice  [--busy-cold-start]]

  supervised  (default) npm start's own orchestrator child (nice -n 19 and SCHED_IDLE where chrt is)
  niced       START_ORCHESTRATOR=false; the bench runs orchestrator/src/cli/run.ts under nice -n 19
  not-niced   START_ORCHESTRATOR=false; the bench runs it at normal priority (--no-nice)
  sched-idle  START_ORCHESTRATOR=false; the bench runs it under chrt --idle 0 (SCHED_IDLE)
  --busy-cold-start  let the orchestrator order the synthetic project (whose image files do not
              exist) instead of recording it as already ordered, and report what that costs`;

/** How the orchestrator process runs beside the server. */
export const ORCHESTRATOR_MODES = ['supervised', 'niced', 'not-niced', 'sched-idle'] as const;
export type OrchestratorMode = (typeof ORCHESTRATOR_MODES)[number];

const ArgsSchema = z
  .object({
    seconds: z.coerce.number().positive().max(1_800),
    warmup: z.coerce.number().min(0).max(300),
    clients: z.coerce.number().int().positive().max(2_000),
    'busy-samples': z.coerce.number().int().min(10_000).max(5_000_000),
    digits: z.coerce.number().int().min(1_000).max(10_000),
    prelabels: z.coerce.number().int().min(100).max(5_000),
    orchestrator: z.enum(ORCHESTRATOR_MODES),
    'no-nice': z.boolean(),
    'busy-cold-start': z.boolean(),
  })
  .refine((a) => a.prelabels <= a.digits * 0.5, {
    message: '--prelabels must leave at least half of --digits unlabelled',
  })
  .refine(
    (a) => !(a['no-nice'] && a.orchestrator !== 'supervised' && a.orchestrator !== 'not-niced'),
    {
      message: '--no-nice is --orchestrator not-niced',
    },
  );

export interface BenchArgs {
  seconds: number;
  warmup: number;
  clients: number;
  busySamples: number;
  digits: number;
  prelabels: number;
  orchestrator: OrchestratorMode;
  busyColdStart: boolean;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '60' },
      warmup: { type: 'string', default: '10' },
      clients: { type: 'string', default: '200' },
      'busy-samples': { type: 'string', default: '500000' },
      digits: { type: 'string', default: '10000' },
      prelabels: { type: 'string', default: '2000' },
      orchestrator: { type: 'string', default: 'supervised' },
      'no-nice': { type: 'boolean', default: false },
      'busy-cold-start': { type: 'boolean', default: false },
    },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(`${z.prettifyError(parsed.error)}\n\n${USAGE}`);
  }
  const a = parsed.data;
  return {
    seconds: a.seconds,
    warmup: a.warmup,
    clients: a.clients,
    busySamples: a['busy-samples'],
    digits: a.digits,
    prelabels: a.prelabels,
    orchestrator: a['no-nice'] ? 'not-niced' : a.orchestrator,
    busyColdStart: a['busy-cold-start'],
  };
}
