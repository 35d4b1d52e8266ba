/**
 * One docker-compose project of the real docker-compose.yml for a test: its own project name,
 * .env (random secrets, free host ports, an image folder) and an override file that points the
 * official image names at the local stand-ins and lets builds reach the npm registry.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '@al/db/testing';
import { REPO_ROOT, requireBinary } from './composeFile';
import { run, type RunResult } from './docker';
import type { StandinImages } from './standinImages';

export interface ComposeStack {
  project: string;
  uiPort: number;
  adminerPort: number;
  adminToken: string;
  postgres: { user: string; password: string; database: string };
  compose: (args: string[], opts?: { allowFailure?: boolean }) => Promise<RunResult>;
  /** `down -v` blocking the event loop: for a process that is exiting. */
  downSync: () => void;
  /** Container id of a service's (first) container; undefined when it has none. */
  containerOf: (service: string) => Promise<string | undefined>;
  /** Waits until every named service's container reports `healthy`. */
  waitHealthy: (services: string[], timeoutMs: number) => Promise<void>;
}

/** The trainer without native TensorFlow (its download host is unreachable here): wasm. */
function overrideYaml(images: StandinImages): string {
  const nodeArgs = `NODE_IMAGE: ${images.node}`;
  return `services:
  db:
    image: ${images.postgres}
  adminer:
    image: ${images.adminer}
  ui:
    build:
      network: host
      args:
        ${nodeArgs}
  orchestrator-cpu:
    build:
      network: host
      args:
        ${nodeArgs}
        NODE_BUILD_IMAGE: ${images.nodeBuild}
        RUNTIME_IMAGE: ${images.node}
        TFJS_NODE_PACKAGE: ''
`;
}

export async function prepareComposeStack(o: {
  workDir: string;
  imagesDir: string;
  images: StandinImages;
  logFile: string;
}): Promise<ComposeStack> {
  const dockerCompose = requireBinary('docker-compose', 'docker-compose');
  const project = `alcompose${randomBytes(3).toString('hex')}`;
  const uiPort = await freePort();
  const adminerPort = await freePort();
  const adminToken = randomBytes(16).toString('hex');
  const postgres = {
    user: 'labeller',
    password: randomBytes(12).toString('hex'),
    database: 'labeller',
  };
  const envFile = path.join(o.workDir, '.env');
  const overrideFile = path.join(o.workDir, 'standins.override.yml');
  await writeFile(
    envFile,
    [
      `POSTGRES_USER=${postgres.user}`,
      `POSTGRES_PASSWORD=${postgres.password}`,
      `POSTGRES_DB=${postgres.database}`,
      `ADMIN_TOKEN=${adminToken}`,
      'COMPOSE_PROFILES=cpu',
      `UI_PORTS=${uiPort}`,
      'ADMINER_BIND=127.0.0.1',
      `ADMINER_PORT=${adminerPort}`,
      `IMAGES_DIR=${o.imagesDir}`,
      'SEED_DEMO=false',
      'LOG_LEVEL=info',
      '',
    ].join('\n'),
  );
  await writeFile(overrideFile, overrideYaml(o.images));
  const base = [
    '--project-name',
    project,
    '--env-file',
    envFile,
    '-f',
    path.join(REPO_ROOT, 'docker-compose.yml'),
    '-f',
    overrideFile,
  ];
  // COMPOSE_PROFILES and friends come from the .env file only, not from this shell.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  const compose: ComposeStack['compose'] = (args, opts = {}) =>
    run(dockerCompose, [...base, ...args], { cwd: REPO_ROOT, env, logFile: o.logFile, ...opts });
  const downSync = () => {
    spawnSync(dockerCompose, [...base, 'down', '-v', '--remove-orphans'], {
      cwd: REPO_ROOT,
      env,
      stdio: 'ignore',
    });
  };
  const containerOf = async (service: string) => {
    const { stdout } = await compose(['ps', '-q', service]);
    return stdout.trim().split('\n')[0] || undefined;
  };
  const waitHealthy: ComposeStack['waitHealthy'] = async (services, timeoutMs) => {
    const started = Date.now();
    for (const service of services) {
      for (;;) {
        const id = await containerOf(service);
        const status = id
          ? (
              await run('docker', [
                'inspect',
                '-f',
                '{{.State.Status}} {{.State.Health.Status}}',
                id,
              ])
            ).stdout.trim()
          : 'missing';
        if (status === 'running healthy') break;
        if (Date.now() - started > timeoutMs) {
          const logs = await compose(['logs', '--tail', '40', service], { allowFailure: true });
          throw new Error(
            `${service} not healthy within ${timeoutMs} ms (${status}):\n${logs.stdout}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  };
  return {
    project,
    uiPort,
    adminerPort,
    adminToken,
    postgres,
    compose,
    downSync,
    containerOf,
    waitHealthy,
  };
}
