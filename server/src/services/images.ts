import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { getProjectById, getSampleById, type DbProjectRow } from '@al/db';
import { createDatasource, isS3Uri } from '@al/media';
import { createLocalFolderDatasource } from '@al/media';
import { isMissingObject } from '@al/media';
import type { Datasource } from '@al/media';
import type { Logger } from '@al/media';
import { ByteLru } from '../images/byteLru';
import { PresignCache } from '../images/presignCache';
import { imagePageOfColumn, resizeImage, type ImagePage, type ResizedImage } from '@al/media';
import { THUMBNAIL_SIZE, ThumbnailStore } from '../images/thumbnailStore';

export const IMAGE_SIZE_MIN = 16;
export const IMAGE_SIZE_MAX = 4096;
export const IMAGE_SIZE_DEFAULT = 512;

export type ImageAnswer =
  | { kind: 'not-found' }
  | { kind: 'not-modified'; etag: string }
  | { kind: 'redirect'; url: string; maxAgeSeconds: number }
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
  const file = await realpathOrUndefined(path.resolve(uri));
  if (file === undefined) return undefined;
  for (const root of roots) {
    if (isS3Uri(root)) continue;
    const realRoot = await realpathOrUndefined(path.resolve(root));
    if (realRoot === undefined) continue;
    if (file.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
      return { root: realRoot, file };
    }
  }
  return undefined;
}

/**
 * The project's thumbnail suffix, or null when thumbnails are not used: stored thumbnails show
 * the first page, so a project showing another page of its stacks is served from originals.
 */
function thumbnailSuffixFor(project: DbProjectRow): string | null {
  return project.image_page === '0' ? project.thumbnail_suffix : null;
}

/** Where to read a sample from: its datasource and the URI to hand it, or undefined for 404. */
type Located = { datasource: Datasource; uri: string; relativePath: string } | undefined;

export interface ImageServiceOptions {
  cacheBytes: number;
  logger: Logger;
  /** The datasource of an s3:// root; tests swap in one that refuses writes. */
  s3DatasourceFor?: (root: string) => Datasource;
}

/**
 * Serves samples' images resized, or (per project, S3 only) redirects to a presigned URL, of
 * the thumbnail when the size fits it. The ETag is the content hash recorded at import plus
 * the size, so a revalidation costs two indexed lookups and no file read; resized bodies are
 * kept in a byte-bounded LRU keyed the same way (duplicate images share an entry). With a
 * thumbnail suffix, a miss reads the thumbnail next to the original before the original itself.
 */
export class ImageService {
  private readonly cache: ByteLru<ResizedImage>;
  /** One S3 client per bucket prefix, not one per request. */
  private readonly s3Sources = new Map<string, Datasource>();
  private readonly presigned = new PresignCache();
  readonly thumbnails: ThumbnailStore;
  private readonly s3DatasourceFor: (root: string) => Datasource;

  constructor(
    private readonly knex: Knex,
    opts: ImageServiceOptions,
  ) {
    this.cache = new ByteLru(opts.cacheBytes);
    this.thumbnails = new ThumbnailStore(opts.logger.child({ component: 'thumbnails' }));
    this.s3DatasourceFor = opts.s3DatasourceFor ?? ((root) => createDatasource(root));
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
    const located = await this.locate(sample.source_uri, project.source_roots);
    if (!located) return { kind: 'not-found' };
    const { datasource } = located;
    // Local folders cannot presign: those projects are proxied whatever the setting says.
    if (project.image_delivery === 'presign' && datasource.presign) {
      const target = await this.presignTarget(located, project, size);
      const redirect = await this.presigned.redirectFor(datasource.presign, target);
      return { kind: 'redirect', ...redirect };
    }
    const page = imagePageOfColumn(project.image_page);
    // The page is part of what is shown: changing it must not revalidate the old picture.
    const pageTag = page === 0 ? '' : `-p${page}`;
    const etag = `"${sample.content_hash.slice(0, 32)}-${size}${pageTag}"`;
    if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(etag)) {
      return { kind: 'not-modified', etag };
    }
    const key = `${sample.content_hash}:${size}${pageTag}`;
    let image = this.cache.get(key);
    if (!image) {
      try {
        image = await this.produce(located, project, size, page);
      } catch (err) {
        // An object deleted from the bucket since import is as gone as a deleted file.
        if (isMissingObject(err)) return { kind: 'not-found' };
        throw err;
      }
      this.cache.set(key, image);
    }
    return { kind: 'image', etag, ...image };
  }

  /**
   * What a presigned redirect points at: the thumbnail (stored first if missing) when the
   * project has a suffix and the size fits it, so the browser downloads ≤ THUMBNAIL_SIZE px;
   * otherwise, or when the thumbnail cannot be stored, the original. A bucket cannot resize,
   * so smaller sizes get the thumbnail and the browser scales it.
   */
  private async presignTarget(
    located: NonNullable<Located>,
    project: DbProjectRow,
    size: number,
  ): Promise<string> {
    const suffix = thumbnailSuffixFor(project);
    if (suffix === null || size > THUMBNAIL_SIZE) return located.uri;
    return (await this.thumbnails.storedUri(located.datasource, located, suffix)) ?? located.uri;
  }

  private async produce(
    located: NonNullable<Located>,
    project: DbProjectRow,
    size: number,
    page: ImagePage,
  ): Promise<ResizedImage> {
    const suffix = thumbnailSuffixFor(project);
    if (suffix !== null && size <= THUMBNAIL_SIZE) {
      return this.thumbnails.resized(located.datasource, located, suffix, size);
    }
    return resizeImage(await located.datasource.read(located.uri), size, undefined, page);
  }

  /**
   * An s3:// URI is served only below one of the project's s3:// roots (the datasource refuses
   * any other key); a path only below one of its local roots.
   */
  private async locate(uri: string, roots: string[]): Promise<Located> {
    if (!isS3Uri(uri)) {
      const local = await findLocalRoot(uri, roots);
      return (
        local && {
          datasource: createLocalFolderDatasource(local.root),
          uri: local.file,
          relativePath: path.relative(local.root, local.file).split(path.sep).join('/'),
        }
      );
    }
    for (const root of roots) {
      if (!isS3Uri(root)) continue;
      const datasource = this.s3Source(root);
      if (datasource && uri.startsWith(`${datasource.root}/`)) {
        return { datasource, uri, relativePath: uri.slice(datasource.root.length + 1) };
      }
    }
    return undefined;
  }

  private s3Source(root: string): Datasource | undefined {
    let datasource = this.s3Sources.get(root);
    if (!datasource) {
      try {
        datasource = this.s3DatasourceFor(root);
      } catch {
        return undefined; // a malformed root in the database serves nothing
      }
      this.s3Sources.set(root, datasource);
    }
    return datasource;
  }
}
