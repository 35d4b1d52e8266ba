import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@al/server';
import {
  ENV_EXAMPLE,
  loadComposeConfig,
  readDockerfile,
  REPO_ROOT,
  service,
  serviceEnv,
} from './composeFile';

const config = loadComposeConfig();
const TRAINERS = ['orchestrator', 'orchestrator-cpu'];

test('docker-compose config parses with .env.example: the five services', () => {
  assert.deepEqual(Object.keys(config.services).sort(), [
    'adminer',
    'db',
    'orchestrator',
    'orchestrator-cpu',
    'ui',
  ]);
  assert.match(service(config, 'db').image ?? '', /^postgres:\d+$/, 'postgres pinned to a major');
  assert.match(service(config, 'adminer').image ?? '', /^adminer(:|$)/);
});

test('ports: labelling UI on 8866, Adminer on loopback 8080, nothing else published', () => {
  assert.deepEqual(service(config, 'ui').ports, ['8866:8866']);
  assert.deepEqual(service(config, 'adminer').ports, ['127.0.0.1:8080:8080/tcp']);
  for (const name of ['db', ...TRAINERS]) {
    assert.deepEqual(service(config, name).ports, [], `${name} publishes no port`);
  }
  assert.equal(serviceEnv(service(config, 'adminer')).ADMINER_DEFAULT_SERVER, 'db');
});

test('every service has a healthcheck; the built ones match their Dockerfile HEALTHCHECK', () => {
  for (const [name, svc] of Object.entries(config.services)) {
    assert.ok(svc.healthcheck, `${name} has a healthcheck`);
  }
  assert.match(service(config, 'db').healthcheck?.test.join(' ') ?? '', /pg_isready/);
  for (const [name, svc] of Object.entries(config.services)) {
    if (!svc.build) continue;
    const fromDockerfile = readDockerfile(svc.build.dockerfile).healthcheck;
    assert.deepEqual(svc.healthcheck?.test, ['CMD', ...fromDockerfile], name);
  }
  assert.match(service(config, 'ui').healthcheck?.test.join(' ') ?? '', /\/healthz/);
});

test('ui, adminer and the trainers wait for a healthy db', () => {
  for (const name of ['ui', 'adminer', ...TRAINERS]) {
    assert.deepEqual(service(config, name).depends_on, { db: { condition: 'service_healthy' } });
  }
});

test('each build points at an existing Dockerfile in the repository', () => {
  const built = Object.entries(config.services).filter(([, svc]) => svc.build);
  assert.deepEqual(built.map(([name]) => name).sort(), ['orchestrator', 'orchestrator-cpu', 'ui']);
  for (const [name, svc] of built) {
    assert.ok(svc.build);
    assert.equal(path.resolve(svc.build.context), REPO_ROOT, `${name} builds from the repo root`);
    assert.ok(existsSync(path.join(svc.build.context, svc.build.dockerfile)), name);
  }
  assert.equal(service(config, 'ui').build?.dockerfile, 'Dockerfile.ui');
  assert.equal(service(config, 'orchestrator').build?.dockerfile, 'Dockerfile.trainer');
});

test('trainers: the GPU one reserves an nvidia GPU, the CPU one is its own profile', () => {
  assert.deepEqual(service(config, 'orchestrator').profiles, ['gpu']);
  assert.deepEqual(service(config, 'orchestrator').deploy, {
    resources: {
      reservations: { devices: [{ capabilities: ['gpu'], count: 'all', driver: 'nvidia' }] },
    },
  });
  const cpu = service(config, 'orchestrator-cpu');
  assert.deepEqual(cpu.profiles, ['cpu']);
  assert.equal(cpu.deploy, undefined);
  assert.equal(cpu.build?.args?.TFJS_NODE_PACKAGE, '@tensorflow/tfjs-node@4.22.0');
  // Not forced: tfjs-node where it installed, else wasm (arm64: no libtensorflow build).
  assert.equal(cpu.build.args.TF_BACKEND, '');
  assert.equal(cpu.build.args.CUDA_PACKAGES, '');
  assert.equal(serviceEnv(cpu).TF_BACKEND, undefined);
  assert.equal(serviceEnv(service(config, 'orchestrator')).TF_BACKEND, 'tensorflow-gpu');
});

test('every variable the containers rely on is defined, DATABASE_URL from the db credentials', () => {
  const db = serviceEnv(service(config, 'db'));
  for (const key of ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB']) {
    assert.ok(db[key], `db sets ${key}`);
  }
  const expectedUrl = `postgres://${db.POSTGRES_USER}:${db.POSTGRES_PASSWORD}@db:5432/${db.POSTGRES_DB}`;
  const ui = { ...readDockerfile('Dockerfile.ui').env, ...serviceEnv(service(config, 'ui')) };
  assert.equal(ui.DATABASE_URL, expectedUrl);
  assert.equal(ui.PORT, '8866');
  assert.equal(ui.START_ORCHESTRATOR, 'false', 'the trainer is its own service');
  assert.equal(ui.SEED_DEMO, 'true');
  assert.equal(ui.DATA_DIR, '/data');
  // .env.example's placeholder token is refused (a copied .env must not run with a public
  // token); with a token of the user's own, the server's zod config accepts the rest as it is.
  assert.throws(() => loadConfig(ui), /ADMIN_TOKEN is still the example value/);
  const parsed = loadConfig({ ...ui, ADMIN_TOKEN: 'a-token-of-my-own-0123' });
  assert.equal(parsed.DATABASE_URL, expectedUrl);
  assert.equal(parsed.PORT, 8866);
  assert.equal(parsed.START_ORCHESTRATOR, false);
  assert.equal(parsed.SEED_DEMO, true);
  for (const name of TRAINERS) {
    assert.equal(serviceEnv(service(config, name)).DATABASE_URL, expectedUrl, name);
  }
  // S3 settings pass through when set (and stay unset otherwise: an empty value is invalid).
  for (const name of ['ui', ...TRAINERS]) {
    const env = service(config, name).environment;
    for (const key of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_REGION',
    ]) {
      assert.ok(key in env, `${name} passes ${key} through`);
      assert.equal(env[key], null, `${name}: ${key} is unset in .env.example`);
    }
  }
  // The same folders at the same paths: samples store absolute file paths.
  for (const name of ['ui', ...TRAINERS]) {
    const mounts = service(config, name).volumes.map((v) => v.split(':').slice(1).join(':'));
    assert.ok(mounts.includes('/images:ro'), `${name} mounts /images read-only`);
    assert.ok(
      mounts.some((m) => m.startsWith('/data')),
      `${name} mounts /data`,
    );
  }
});

test('docker-compose.aws.yml mounts ~/.aws read-only where S3 is read, and the SDK finds it', () => {
  const withAws = loadComposeConfig(ENV_EXAMPLE, ['docker-compose.yml', 'docker-compose.aws.yml']);
  for (const name of ['ui', ...TRAINERS]) {
    const svc = service(withAws, name);
    assert.ok(
      svc.volumes.some((v) => v.endsWith(':/aws:ro')),
      `${name} mounts /aws read-only`,
    );
    assert.ok(
      svc.volumes.some((v) => v.includes('/images:ro')),
      `${name} keeps its own mounts`,
    );
    assert.equal(serviceEnv(svc).AWS_CONFIG_FILE, '/aws/config');
    assert.equal(serviceEnv(svc).AWS_SHARED_CREDENTIALS_FILE, '/aws/credentials');
  }
});

test('docker-compose refuses to start without the required secrets', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(path.join(tmpdir(), 'compose-env-'));
  try {
    const envFile = path.join(dir, '.env');
    await writeFile(envFile, 'POSTGRES_USER=labeller\nPOSTGRES_DB=labeller\n');
    assert.throws(
      () =>
        execFileSync(
          'docker-compose',
          ['-f', 'docker-compose.yml', '--env-file', envFile, 'config'],
          {
            cwd: REPO_ROOT,
            stdio: 'pipe',
          },
        ),
      (err: Error & { stderr?: Buffer }) =>
        /POSTGRES_PASSWORD|ADMIN_TOKEN/.test(String(err.stderr)),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
