import { mkdir, opendir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LIST_PAGE_SIZE, type Datasource, type DatasourceEntry } from './types';

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

/**
 * Depth-first over the tree with opendir, which reads a directory in small batches: a folder
 * of a million files is streamed rather than loaded as one array of names. The order is the
 * directory's own, stable while nothing is added (not alphabetical: sorting would need every
 * name of a directory at once).
 */
async function* walk(root: string, dir: string): AsyncGenerator<DatasourceEntry> {
  const subdirs: string[] = [];
  for await (const entry of await opendir(dir)) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      subdirs.push(full);
    } else if (entry.isFile()) {
      const { size } = await stat(full);
      yield { uri: full, relativePath: path.relative(root, full).split(path.sep).join('/'), size };
    }
    // Symlinks, sockets and the like are left out: a link could point outside the root.
  }
  subdirs.sort();
  for (const sub of subdirs) yield* walk(root, sub);
}

async function* pages(root: string): AsyncGenerator<DatasourceEntry[]> {
  let page: DatasourceEntry[] = [];
  for await (const entry of walk(root, root)) {
    page.push(entry);
    if (page.length >= LIST_PAGE_SIZE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/** A folder on this machine; URIs are absolute file paths. */
export function createLocalFolderDatasource(folder: string): Datasource {
  const root = path.resolve(folder);
  return {
    root,
    list: () => pages(root),
    uriOf: (relativePath) => insideRoot(root, relativePath),
    read: (uri) => readFile(insideRoot(root, uri)),
    write: async (relativePath, data) => {
      const target = insideRoot(root, relativePath);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, data);
      return target;
    },
  };
}
