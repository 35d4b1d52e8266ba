import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { getProjectById, getSampleById } from '@al/db';
import { createLocalFolderDatasource } from '../datasources/local';
import { ByteLru } from '../images/byteLru';
import { resizeImage, type ResizedImage } from '../images/resizeImage';

export const IMAGE_SIZE_MIN = 16;
export const IMAGE_SIZE_MAX = 1024;
export const IMAGE_SIZE_DEFAULT = 512;

export type ImageAnswer =
  | { kind: 'not-found' }
  | { kind: 'not-modified'; etag: string }
  | ({ kind: 'image'; etag: string } & ResizedImage);

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch {
    return undefined; // missing file or root: the caller answers 404
  }
}

/**
 * The local root (real path, symlinks resolved) the file lies under, or undefined. Both sides
 * are resolved through realpath so neither `..` in a stored URI nor a symlink inside a root
 * can reach a file outside the project's roots.
 */
async function findLocalRoot(
  uri: string,
  roots: string[],
): Promise<{ root: string; file: string } | undefined> {
  if (uri.startsWith('s3://')) return undefined; // S3 sources are not served yet
  const file = await realpathOrUndefined(path.resolve(uri));
  if (file === undefined) return undefined;
  for (const root of roots) {
    if (root.startsWith('s3://')) continue;
    const realRoot = await realpathOrUndefined(path.resolve(root));
    if (realRoot === undefined) continue;
    if (file.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
      return { root: realRoot, file };
    }
  }
  return undefined;
}

/**
 * Serves samples' images resized. The ETag is the content hash recorded at import plus the
 * size, so a revalidation costs two indexed lookups and no file read; resized bodies are kept
 * in a byte-bounded LRU keyed the same way (duplicate images share an entry).
 */
export class ImageService {
  private readonly cache: ByteLru<ResizedImage>;

  constructor(
    private readonly knex: Knex,
    opts: { cacheBytes: number },
  ) {
    this.cache = new ByteLru(opts.cacheBytes);
  }

  async resized(
    sampleId: number,
    size: number,
    ifNoneMatch: string | undefined,
  ): Promise<ImageAnswer> {
    const sample = await getSampleById({ tx: this.knex, id: sampleId });
    if (!sample) return { kind: 'not-found' };
    const project = await getProjectById({ tx: this.knex, id: sample.project_id });
    if (!project) return { kind: 'not-found' };
    const located = await findLocalRoot(sample.source_uri, project.source_roots);
    if (!located) return { kind: 'not-found' };
    const etag = `"${sample.content_hash.slice(0, 32)}-${size}"`;
    if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(etag)) {
      return { kind: 'not-modified', etag };
    }
    const key = `${sample.content_hash}:${size}`;
    let image = this.cache.get(key);
    if (!image) {
      const original = await createLocalFolderDatasource(located.root).read(located.file);
      image = await resizeImage(original, size);
      this.cache.set(key, image);
    }
    return { kind: 'image', etag, ...image };
  }
}
