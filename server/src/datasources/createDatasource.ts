import { createLocalFolderDatasource } from './local';
import { createS3Datasource, s3OptionsFromEnv, type S3DatasourceOptions } from './s3';
import type { Datasource } from './types';

export function isS3Uri(uri: string): boolean {
  return uri.startsWith('s3://');
}

/** The datasource for a source root: `s3://bucket/prefix` or a local folder path. */
export function createDatasource(uri: string, s3Options?: S3DatasourceOptions): Datasource {
  return isS3Uri(uri)
    ? createS3Datasource(uri, s3Options ?? s3OptionsFromEnv())
    : createLocalFolderDatasource(uri);
}
