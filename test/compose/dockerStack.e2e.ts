/**
 * `npm run test:compose`: the real docker-compose.yml, built and run on a Docker engine here.
 * Stand-ins replace the official base images (no registry is reachable; standinImages.ts),
 * the trainer is the CPU variant built without native TensorFlow (wasm). From outside, through
 * published 127.0.0.1 ports only: an import with `docker-compose exec ui npm run import`, 20
 * socket.io labellers, an admin retrain that yields a model version (the trainer, built without
 * native TensorFlow, chooses wasm itself), a datapool export into the trainer's volume, Adminer
 * logging in to `db` in Chromium, and `down` + `up` keeping every label. Everything it starts it stops:
 * `down -v` at the end, and the engine if it started one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectClient, labelAs, pngBytes, takeNext } from '../server/helpers';
import { listTablesInAdminer } from './adminer';
import { REPO_ROOT } from './composeFile';
import { prepareComposeStack, type ComposeStack } from './composeStack';
import { run } from './docker';
import { ensureDockerEngine, type DockerEngine } from './dockerEngine';
import { ensureStandinImages } from './standinImages';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'compose');
const LOG = path.join(ARTIFACTS, 'docker.log');
const PROJECT = 'compose';
const OPTIONS = ['a', 'b', 'c'];
const IMAGES = 90;
const LABELLERS = 20;
const SERVICES = ['db', 'adminer', 'ui', 'orchestrator-cpu'];

interface BackendChoice {
  backend: string;
  skipped: { backend: string }[];
}

let workDir = '';
let engine: DockerEngine | undefined;
let stack: ComposeStack | undefined;

function current(): ComposeStack {
  assert.ok(stack, 'the stack was not prepared');
  return stack;
}

const apiUrl = (p: string) => `http://127.0.0.1:${current().uiPort}${p}`;
const asAdmin = () => ({ Authorization: `Bearer ${current().adminToken}` });

/** The raw answer log's label rows, read through the export as an admin would. */
async function exportedLabels(): Promise<number> {
  const res = await fetch(apiUrl(`/api/projects/${PROJECT}/labels?format=jsonl`), {
    headers: asAdmin(),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const lines = (await res.text()).split('\n').filter((l) => l.trim() !== '');
  return lines.filter((l) => (JSON.parse(l) as { kind?: string }).kind === 'label').length;
}

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(LOG, '');
  workDir = await mkdtemp(path.join(tmpdir(), 'compose-stack-'));
  const imagesDir = path.join(workDir, 'images');
  await mkdir(imagesDir);
  for (let i = 0; i < IMAGES; i++) {
    await writeFile(path.join(imagesDir, `img-${i}.png`), await pngBytes(i, 32, 32));
  }
  // Read by the containers' own users (node, trainer) through a read-only bind mount.
  await chmod(workDir, 0o755);
  await chmod(imagesDir, 0o755);
  engine = await ensureDockerEngine(path.join(ARTIFACTS, 'dockerd.log'));
  const images = await ensureStandinImages(LOG);
  stack = await prepareComposeStack({ workDir, imagesDir, images, logFile: LOG });
});

let tornDown = false;

/** Containers, networks and volumes of the stack, then the engine if started here. */
async function tearDown(): Promise<void> {
  try {
    if (stack) {
      const { project } = stack;
      await stack.compose(['down', '-v', '--remove-orphans'], { allowFailure: true });
      const left = await run('docker', ['volume', 'ls', '-q', '--filter', `name=${project}_`]);
      assert.equal(left.stdout.trim(), '', 'down -v left volumes behind');
    }
  } finally {
    tornDown = true;
    await engine?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

// Interrupted (Ctrl-C, a CI timeout), the stack would keep running: take it down, then exit.
// (Run as a plain script, not under `node --test`, whose runner kills the file's process.)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void tearDown().finally(() => process.exit(130));
  });
}
// Any other way out (an uncaught error): the containers at least, synchronously.
process.on('exit', () => {
  if (tornDown) return;
  stack?.downSync();
  engine?.signalStop();
});

after(tearDown);

test(
  'docker-compose build and up: every service turns healthy',
  { timeout: 40 * 60_000 },
  async () => {
    const s = current();
    await s.compose(['build', '--force-rm']);
    await s.compose(['up', '-d']);
    await s.waitHealthy(SERVICES, 5 * 60_000);
    // `--no-color` lines are `<container> | <pino JSON>`.
    const trainerLog = (await s.compose(['logs', '--no-color', 'orchestrator-cpu'])).stdout;
    const chosen = trainerLog
      .split('\n')
      .filter((l) => l.includes('tensorflow backend chosen'))
      .map((l) => JSON.parse(l.slice(l.indexOf('{'))) as BackendChoice);
    assert.equal(chosen.length, 1, trainerLog);
    // No native TensorFlow in this image: the trainer chose wasm itself, and said why.
    assert.equal(chosen[0]?.backend, 'wasm');
    assert.deepEqual(
      chosen[0].skipped.map((k) => k.backend),
      ['tensorflow-gpu', 'tensorflow'],
    );
    // Its node process (under compose's init) runs at the lowest CPU priority: nice 19 and
    // SCHED_IDLE (policy 5).
    const stats = (
      await s.compose(['exec', '-T', 'orchestrator-cpu', 'sh', '-c', 'cat /proc/[0-9]*/stat'])
    ).stdout;
    // The first node process: a healthcheck's `node -e` may be running beside it.
    const [node] = stats
      .split('\n')
      .filter((line) => line.includes(' (node) '))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    assert.ok(node, stats);
    const fields = node.slice(node.lastIndexOf(')') + 2).split(' ');
    assert.deepEqual({ nice: fields[16], policy: fields[38] }, { nice: '19', policy: '5' }, node);
  },
);

test(
  'an import through `docker-compose exec ui npm run import`',
  { timeout: 5 * 60_000 },
  async () => {
    const s = current();
    const { stdout, stderr } = await s.compose([
      'exec',
      '-T',
      'ui',
      'npm',
      'run',
      'import',
      '--',
      '--project',
      PROJECT,
      '--labels',
      OPTIONS.join(','),
      '/images',
    ]);
    assert.match(stdout + stderr, /90/);
    const res = await fetch(apiUrl('/api/projects'));
    assert.equal(res.status, 200);
    assert.match(await res.text(), new RegExp(`"${PROJECT}"`));
  },
);

test(
  '20 socket.io labellers label every image on the published port',
  { timeout: 5 * 60_000 },
  async () => {
    const url = apiUrl('');
    let acked = 0;
    await Promise.all(
      Array.from({ length: LABELLERS }, async (_, k) => {
        const client = await connectClient(url, { name: `labeller-${k}`, project: PROJECT });
        try {
          for (let sample = await takeNext(client); sample; sample = await takeNext(client)) {
            await labelAs(client, sample.id, OPTIONS[sample.id % OPTIONS.length]);
            acked++;
          }
        } finally {
          client.close();
        }
      }),
    );
    assert.equal(acked, IMAGES);
    assert.equal(await exportedLabels(), IMAGES);
  },
);

test(
  'an admin retrain yields a model version from the trainer container',
  { timeout: 10 * 60_000 },
  async () => {
    const res = await fetch(apiUrl(`/api/projects/${PROJECT}/retrain`), {
      method: 'POST',
      headers: asAdmin(),
    });
    assert.equal(res.status, 202, await res.text());
    const deadline = Date.now() + 8 * 60_000;
    for (;;) {
      const models = (await (await fetch(apiUrl(`/api/projects/${PROJECT}/models`))).json()) as {
        version: number;
        trainedOn: number;
      }[];
      if (models.length > 0) {
        assert.ok((models[0]?.trainedOn ?? 0) > 0);
        break;
      }
      assert.ok(Date.now() < deadline, 'no model version within 8 minutes');
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  },
);

test(
  "the datapool export writes to the trainer's /export volume",
  { timeout: 5 * 60_000 },
  async () => {
    const s = current();
    const out = '/export/datapool_latest.csv';
    const trainer = ['exec', '-T', 'orchestrator-cpu'];
    await s.compose([
      ...trainer,
      'npm',
      'run',
      'datapool',
      '--',
      '--project',
      PROJECT,
      '--out',
      out,
    ]);
    const { stdout } = await s.compose([...trainer, 'cat', out]);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^filename,embedding_0,/);
    assert.equal(lines.length, IMAGES + 1, 'a header and one row per image');
  },
);

test(
  'Adminer on the published port logs in to `db` and lists labels',
  { timeout: 3 * 60_000 },
  async () => {
    const s = current();
    const tables = await listTablesInAdminer(`http://127.0.0.1:${s.adminerPort}/`, {
      server: 'db',
      username: s.postgres.user,
      password: s.postgres.password,
      database: s.postgres.database,
      screenshot: path.join(ARTIFACTS, 'adminer.png'),
    });
    assert.ok(tables.includes('labels'), `tables: ${tables.join(', ')}`);
  },
);

test(
  'docker-compose down, then up: every label is still there',
  { timeout: 10 * 60_000 },
  async () => {
    const s = current();
    await s.compose(['down']);
    assert.equal(await s.containerOf('db'), undefined);
    await s.compose(['up', '-d']);
    await s.waitHealthy(['db', 'ui'], 5 * 60_000);
    assert.equal(await exportedLabels(), IMAGES);
  },
);
