import path from 'node:path';
import { createLocalFolderDatasource } from './local';
import { createS3Datasource, type S3DatasourceOptions } from './s3';
import type { Datasource } from './types';

export function isS3Uri(uri: string): boolean {
  return uri.startsWith('s3://');
}

/**
 * The datasource for a source root: `s3://bucket/prefix` or a local folder path. `s3Options`
 * come from the caller's config (S3_FORCE_PATH_STYLE); the AWS SDK reads credentials, region
 * and endpoint from the environment itself.
 */
export function createDatasource(uri: string, s3Options: S3DatasourceOptions = {}): Datasource {
  return isS3Uri(uri) ? createS3Datasource(uri, s3Options) : createLocalFolderDatasource(uri);
}

/**
 * The one of a project's source roots that a sample URI lies under (s3:// prefix or folder), for
 * readers that hold a sample and its project, e.g. `createDatasource(root).read(uri)`. Textual
 * only: the datasource's own checks (and the image route's realpath) still refuse escapes.
 */
export function rootContaining(uri: string, roots: readonly string[]): string | undefined {
  return roots.find((root) => {
    if (isS3Uri(root) !== isS3Uri(uri)) return false;
    const base = isS3Uri(root) ? `${root}/` : root.endsWith(path.sep) ? root : root + path.sep;
    return uri.startsWith(base);
  });
}
