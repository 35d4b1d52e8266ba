/**
 * What the labeller UI bundle is built from, as one hash, and the stamp a build leaves beside
 * the bundle: `npm start` rebuilds only when the two differ.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files and folders (relative to the repository) that go into `vite build labeller-ui`: the
 * app, its config, the contract package it imports, and the lockfile (a dependency upgrade
 * changes the bundle too).
 */
export const UI_INPUTS = [
  'labeller-ui/src',
  'labeller-ui/public',
  'labeller-ui/index.html',
  'labeller-ui/vite.config.ts',
  'labeller-ui/tsconfig.json',
  'labeller-ui/package.json',
  'packages/contract/src',
  'packages/contract/package.json',
  'package-lock.json',
];

/** Where a build's stamp lives: inside dist/, so a build that empties dist/ drops it too. */
export const STAMP_FILE = 'labeller-ui/dist/.sources-hash';

/** Tests sit beside the code but are not part of the bundle. */
const isTestFile = (name: string) => /\.test\.tsx?$/.test(name);

async function filesUnder(root: string, relative: string): Promise<string[]> {
  const full = path.join(root, relative);
  const entries = await readdir(full, { withFileTypes: true }).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined; // a file
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // optional input
    throw err;
  });
  if (entries === undefined) return [relative];
  const nested = await Promise.all(
    entries
      .filter((e) => e.isDirectory() || !isTestFile(e.name))
      .map((e) => filesUnder(root, path.join(relative, e.name))),
  );
  return nested.flat();
}

/** sha256 over every input file's path and bytes, in a fixed order. */
export async function hashUiSources(root: string, inputs = UI_INPUTS): Promise<string> {
  const files = (await Promise.all(inputs.map((input) => filesUnder(root, input)))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file.split(path.sep).join('/')).update('\0');
    hash.update(await readFile(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** The hash the last build recorded, or undefined when there is no build (or no stamp). */
export async function readStamp(root: string): Promise<string | undefined> {
  const text = await readFile(path.join(root, STAMP_FILE), 'utf8').catch(() => undefined);
  return text?.trim();
}

export async function writeStamp(root: string, hash: string): Promise<void> {
  await writeFile(path.join(root, STAMP_FILE), `${hash}\n`);
}
