/**
 * The import boundaries between parts are enforced by lint: these probes are written into the
 * parts' real folders (so the typed lint sees them as project files), linted with the project's
 * own eslint.config.mjs, and removed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: ROOT });

/** The `no-restricted-imports` messages eslint gives a file in `folder` with this source. */
async function boundaryErrors(folder: string, source: string): Promise<string[]> {
  const file = path.join(ROOT, folder, `boundaryProbe_${randomBytes(4).toString('hex')}.ts`);
  await writeFile(file, source);
  try {
    const [result] = await eslint.lintFiles([file]);
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => m.message);
  } finally {
    await rm(file, { force: true });
  }
}

const CASES: { folder: string; source: string; refused: boolean }[] = [
  // into another part's src/, by relative path
  { folder: 'orchestrator/src', source: "export * from '../../server/src/config';", refused: true },
  { folder: 'server/src', source: "export * from '../../orchestrator/src/index';", refused: true },
  { folder: 'test', source: "export * from '../db/src/knex';", refused: true },
  { folder: 'orchestrator/bench', source: "export * from '../../db/src/index';", refused: true },
  // across the server/orchestrator line, even through the entry
  { folder: 'orchestrator/src', source: "export * from '@al/server';", refused: true },
  { folder: 'server/src', source: "export * from '@al/orchestrator';", refused: true },
  // upwards from db and from the shared packages
  { folder: 'db/src', source: "export * from '@al/media';", refused: true },
  { folder: 'packages/media/src', source: "export * from '@al/db';", refused: true },
  // test and benchmark helpers stay out of product code
  { folder: 'server/src', source: "export * from '@al/db/testing';", refused: true },
  { folder: 'orchestrator/src', source: "export * from '@al/db/bench';", refused: true },
  // what is allowed
  { folder: 'orchestrator/src', source: "export * from '@al/media';", refused: false },
  { folder: 'server/src', source: "export * from '@al/contract';", refused: false },
  { folder: 'test', source: "export * from '@al/server';", refused: false },
  { folder: 'orchestrator/bench', source: "export * from '../src/index';", refused: false },
  { folder: 'server/bench', source: "export * from '@al/db/bench';", refused: false },
  { folder: 'orchestrator/src/testing', source: "export * from '@al/db/testing';", refused: false },
];

for (const c of CASES) {
  test(`${c.folder}: ${c.source} is ${c.refused ? 'refused' : 'allowed'}`, async () => {
    const errors = await boundaryErrors(c.folder, c.source);
    if (c.refused) assert.ok(errors.length > 0, 'expected a no-restricted-imports error');
    else assert.deepEqual(errors, []);
  });
}

test('the UI may import only the contract package', async () => {
  const errors = await boundaryErrors('labeller-ui/src', "export * from '@al/media';");
  assert.ok(errors.length > 0);
  assert.deepEqual(
    await boundaryErrors('labeller-ui/src', "export type { Progress } from '@al/contract';"),
    [],
  );
});
