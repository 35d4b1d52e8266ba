import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Datasource, DatasourceEntry } from './types';

export class DatasourcePathError extends Error {
  override name = 'DatasourcePathError';
}

/** Resolves a path and refuses one that escapes the root (e.g. through `..`). */
function insideRoot(root: string, candidate: string): string {
  const resolved = path.resolve(root, candidate);
  const rel = path.relative(root, resolved);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new DatasourcePathError(`${candidate} is not inside ${root}`);
  }
  return resolved;
}

async function* walk(root: string, dir: string): AsyncGenerator<DatasourceEntry> {
  const entries = await readdir(dir, { withFileTypes: true });
  // Sorted so that imports (and their progress) run in the same order every time.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walk(root, full);
    } else if (entry.isFile()) {
      const { size } = await stat(full);
      yield { uri: full, relativePath: path.relative(root, full).split(path.sep).join('/'), size };
    }
    // Symlinks, sockets and the like are left out: a link could point outside the root.
  }
}

/** A folder on this machine; URIs are absolute file paths. */
export function createLocalFolderDatasource(folder: string): Datasource {
  const root = path.resolve(folder);
  return {
    root,
    list: () => walk(root, root),
    read: (uri) => readFile(insideRoot(root, uri)),
    write: async (relativePath, data) => {
      const target = insideRoot(root, relativePath);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, data);
      return target;
    },
  };
}
