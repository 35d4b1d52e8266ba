import { S3DatasourceError } from './s3Errors';

/**
 * True when a read failed because the object is not there (deleted since import, or a
 * thumbnail not written yet), as opposed to a permission or network problem.
 */
export function isMissingObject(err: unknown): boolean {
  if (err instanceof S3DatasourceError) return err.reason === 'not-found';
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
