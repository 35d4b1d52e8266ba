// What other parts (orchestrator, CLIs) use of the datasources: pick one by root, read through it.
export { createDatasource, isS3Uri, rootContaining } from './createDatasource';
export { isMissingObject } from './missingObject';
export { S3DatasourceError } from './s3Errors';
export type { Datasource, DatasourceEntry } from './types';
