/**
 * npm run gpu:smoke — for a machine with an NVIDIA GPU, its driver, Docker and the NVIDIA
 * container toolkit: builds the GPU trainer image (Dockerfile.trainer, default build arguments),
 * runs it with `--gpus all` and trains the CNN one epoch on the demo digits inside it (train.ts),
 * which prints the backend, the device and images per second and fails unless the backend is
 * tensorflow-gpu.
 *
 *   npm run gpu:smoke [-- --image al-trainer-gpu --no-build --build-network host
 *                         --gpus all|none --expect tensorflow-gpu --samples 10000]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BACKEND_NAMES } from '../../src/backend/chooseBackend';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const args = z
  .object({
    image: z.string().min(1).default('al-trainer-gpu'),
    'no-build': z.boolean().default(false),
    'build-network': z.string().min(1).optional(),
    gpus: z.string().min(1).default('all'),
    expect: z.enum(BACKEND_NAMES).default('tensorflow-gpu'),
    samples: z.coerce.number().int().min(64).max(10_000).default(10_000),
  })
  .parse(
    parseArgs({
      options: {
        image: { type: 'string' },
        'no-build': { type: 'boolean' },
        'build-network': { type: 'string' },
        gpus: { type: 'string' },
        expect: { type: 'string' },
        samples: { type: 'string' },
      },
    }).values,
  );

/** Runs a command with our stdout/stderr; resolves with its exit code. */
function run(command: string, argv: string[], opts: { quiet?: boolean } = {}): Promise<number> {
  console.log(`$ ${command} ${argv.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: REPO_ROOT,
      stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  if ((await run('docker', ['version', '--format', '{{.Server.Version}}'])) !== 0) {
    console.error('gpu:smoke: no Docker engine answers');
    return 2;
  }
  if (!args['no-build']) {
    const started = performance.now();
    const network = args['build-network'] ? ['--network', args['build-network']] : [];
    const code = await run('docker', [
      'build',
      ...network,
      '-f',
      'Dockerfile.trainer',
      '-t',
      args.image,
      '.',
    ]);
    if (code !== 0) return code;
    console.log(`built ${args.image} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  await run('docker', ['image', 'inspect', '--format', 'image size: {{.Size}} bytes', args.image]);
  // The image leaves benchmarks out (.dockerignore): this one is mounted in beside the sources
  // it imports, and runs in place of the orchestrator.
  const bench = path.join(REPO_ROOT, 'orchestrator', 'bench');
  return run('docker', [
    'run',
    '--rm',
    ...(args.gpus === 'none' ? [] : ['--gpus', args.gpus]),
    '-v',
    `${bench}:/app/orchestrator/bench:ro`,
    args.image,
    'node',
    '--import',
    'tsx',
    'orchestrator/bench/gpuSmoke/train.ts',
    '--expect',
    args.expect,
    '--samples',
    String(args.samples),
  ]);
}

process.exitCode = await main();
