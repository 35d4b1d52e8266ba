import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { createDigitsFixture, type DigitsFixture } from '../testing/digitsFixture';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);
// The CLI runs in a temp folder (to see the default output name land there), where the bare
// `--import tsx` would not resolve: the loader is named by its URL instead.
const TSX_LOADER = import.meta.resolve('tsx');

let f: DigitsFixture;
let outDir: string;
before(async () => {
  f = await createDigitsFixture(12);
  outDir = await mkdtemp(path.join(tmpdir(), 'datapool-cli-'));
});
after(async () => {
  await f.destroy();
  await rm(outDir, { recursive: true, force: true });
});

const cli = (args: string[], env: NodeJS.ProcessEnv) =>
  run(
    process.execPath,
    ['--import', TSX_LOADER, path.join(REPO_ROOT, 'orchestrator/src/cli/datapool.ts'), ...args],
    {
      cwd: outDir,
      env: { PATH: process.env.PATH, TF_BACKEND: 'wasm', ...env },
    },
  );

test('datapool CLI: datapool_latest.csv in the current folder by default, stdout with --out -', async () => {
  const env = { DATABASE_URL: f.db.url };
  await cli(['--project', 'digits'], env);
  const file = await readFile(path.join(outDir, 'datapool_latest.csv'), 'utf8');
  const lines = file.trimEnd().split('\n');
  assert.equal(lines.length, 13);
  assert.equal(lines[0]?.split(',').length, 50);

  const { stdout } = await cli(['--project', 'digits', '--out', '-'], env);
  assert.equal(stdout, file, 'stdout holds exactly the CSV');
});

test('datapool CLI: exit 2 without DATABASE_URL or --project, 1 for an unknown project', async () => {
  await assert.rejects(cli(['--project', 'digits'], {}), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 2);
    assert.match(e.stderr, /DATABASE_URL/);
    return true;
  });
  await assert.rejects(cli([], { DATABASE_URL: f.db.url }), { code: 2 });
  await assert.rejects(cli(['--project', 'nope'], { DATABASE_URL: f.db.url }), { code: 1 });
});
