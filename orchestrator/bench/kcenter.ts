/**
 * Benchmarks the pure acquisition core on one core: k-center selection of 1,000 from
 * 100k × 64-d (goal ≤ 5 s, issue 4) and entropy scoring throughput over 100k × 10 probabilities.
 * Usage: npx tsx orchestrator/bench/kcenter.ts [--pool 100000] [--dim 64] [--select 1000] [--labelled 0]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { selectKCenter } from '../src/acquisition/kcenter';
import { createRng, type Rng } from '../src/acquisition/rng';
import { scoreUncertainty } from '../src/acquisition/uncertainty';

const argsSchema = z.object({
  pool: z.coerce.number().int().positive().default(100_000),
  dim: z.coerce.number().int().positive().default(64),
  select: z.coerce.number().int().positive().default(1000),
  labelled: z.coerce.number().int().nonnegative().default(0),
  classes: z.coerce.number().int().min(2).default(10),
  /** 0: no cluster structure at all (uniform cube), the worst case for pruning. */
  clusters: z.coerce.number().int().nonnegative().default(50),
});
const args = argsSchema.parse(
  parseArgs({
    options: {
      pool: { type: 'string' },
      dim: { type: 'string' },
      select: { type: 'string' },
      labelled: { type: 'string' },
      classes: { type: 'string' },
      clusters: { type: 'string' },
    },
  }).values,
);

/** Points scattered around `clusters` random centres, closer to real embeddings than a uniform cloud. */
function clusteredPoints(rng: Rng, n: number, dim: number, clusters: number): Float32Array {
  if (clusters === 0) return new Float32Array(n * dim).map(() => rng() - 0.5);
  const centres = new Float32Array(clusters * dim).map(() => rng() * 2 - 1);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rng() * clusters);
    for (let k = 0; k < dim; k++)
      out[i * dim + k] = (centres[c * dim + k] ?? 0) + (rng() - 0.5) * 0.6;
  }
  return out;
}

function softmaxRows(rng: Rng, n: number, c: number): Float32Array {
  const out = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < c; k++) {
      const e = Math.exp(rng() * 6);
      out[i * c + k] = e;
      sum += e;
    }
    for (let k = 0; k < c; k++) out[i * c + k] = (out[i * c + k] ?? 0) / sum;
  }
  return out;
}

const rng = createRng(42);
// Labelled and candidate points come from the same clusters, as in a real pool.
const points = clusteredPoints(rng, args.pool + args.labelled, args.dim, args.clusters);
const candidates = points.subarray(0, args.pool * args.dim);
const labelled = points.subarray(args.pool * args.dim);
const probs = softmaxRows(rng, args.pool, args.classes);

let t = performance.now();
const scores = scoreUncertainty('entropy', {
  probs,
  numClasses: args.classes,
  multiLabel: false,
  rng,
});
const scoreMs = performance.now() - t;
console.log(
  `entropy over ${args.pool} × ${args.classes}: ${scoreMs.toFixed(1)} ms (${Math.round(args.pool / (scoreMs / 1000)).toLocaleString('en')} samples/s)`,
);

t = performance.now();
// CPU time as well as wall time: on a shared machine the wall clock also measures the neighbours.
const cpuBefore = process.cpuUsage();
const selection = selectKCenter({
  candidates,
  labelled,
  dim: args.dim,
  nSamples: args.select,
  weights: { values: scores, strength: 1 },
});
const selectMs = performance.now() - t;
const cpu = process.cpuUsage(cpuBefore);
const selectCpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  `k-center: ${selection.indices.length} of ${args.pool} × ${args.dim} (labelled ${args.labelled}, clusters ${args.clusters}): ${(selectMs / 1000).toFixed(2)} s wall, ${(selectCpuMs / 1000).toFixed(2)} s cpu (goal ≤ 5 s at 1,000 of 100k × 64)`,
);
