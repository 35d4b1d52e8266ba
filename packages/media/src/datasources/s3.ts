import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describeS3Error, S3DatasourceError } from './s3Errors';
import type { Datasource, DatasourceEntry } from './types';

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing '/'; '' for the whole bucket. */
  prefix: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket/prefix` (prefix optional); throws an S3DatasourceError saying why not. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  const bucket = match?.[1];
  if (match === null || bucket === undefined || !BUCKET_NAME.test(bucket)) {
    throw new S3DatasourceError(`not an s3://bucket/prefix URI: ${uri}`, 'invalid');
  }
  return { bucket, prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/**
 * Credentials, AWS_REGION and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL are the SDK's to read from
 * the environment and profiles (@smithy/core getEndpointUrlConfig); path-style addressing, which
 * MinIO-like stores need, has no SDK variable: callers pass S3_FORCE_PATH_STYLE from their config.
 */
export interface S3DatasourceOptions {
  /** A ready client (tests, or a caller sharing one); otherwise one is built from the rest. */
  client?: S3Client;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: S3ClientConfig['credentials'];
}

function buildClient(opts: S3DatasourceOptions): S3Client {
  return new S3Client({
    ...(opts.region !== undefined && { region: opts.region }),
    ...(opts.endpoint !== undefined && { endpoint: opts.endpoint }),
    ...(opts.credentials !== undefined && { credentials: opts.credentials }),
    forcePathStyle: opts.forcePathStyle ?? false,
    // A bucket in another region than the configured one still works (one extra round trip).
    followRegionRedirects: true,
  });
}

/** GETs in flight during an import: enough to hide a round trip behind the decodes. */
const S3_READ_CONCURRENCY = 8;

/** One bucket prefix: its root URI and the checked mapping between object URIs, keys and paths. */
interface S3Prefix {
  bucket: string;
  /** `prefix/`, or '' for the whole bucket. */
  keyPrefix: string;
  root: string;
  /** The key of a URI under this root; anything else is refused like a path escaping a folder. */
  keyOf: (objectUri: string) => string;
  uriOf: (relativePath: string) => string;
}

function s3Prefix({ bucket, prefix }: S3Location): S3Prefix {
  const keyPrefix = prefix === '' ? '' : `${prefix}/`;
  const root = `s3://${bucket}${prefix === '' ? '' : `/${prefix}`}`;
  return {
    bucket,
    keyPrefix,
    root,
    keyOf: (objectUri) => {
      const own = `s3://${bucket}/${keyPrefix}`;
      if (!objectUri.startsWith(own) || objectUri.length === own.length) {
        throw new S3DatasourceError(`${objectUri} is not inside ${root}`, 'invalid');
      }
      return objectUri.slice(`s3://${bucket}/`.length);
    },
    uriOf: (relativePath) => {
      if (
        relativePath === '' ||
        relativePath.startsWith('/') ||
        relativePath.split('/').includes('..')
      ) {
        throw new S3DatasourceError(`${relativePath} is not inside ${root}`, 'invalid');
      }
      return `s3://${bucket}/${keyPrefix}${relativePath}`;
    },
  };
}

/** One ListObjectsV2 answer per page: at most 1,000 keys in memory however big the bucket. */
async function* listEntries(client: S3Client, at: S3Prefix): AsyncGenerator<DatasourceEntry[]> {
  const { bucket, keyPrefix } = at;
  let token: string | undefined;
  do {
    const page = await client
      .send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, ContinuationToken: token }),
      )
      .catch((err: unknown) => {
        throw describeS3Error(err, 'list', bucket, at.root);
      });
    // S3 lists keys in UTF-8 binary order, so the order is stable across runs.
    const entries: DatasourceEntry[] = [];
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key === undefined || key.endsWith('/')) continue; // "folder" placeholder objects
      entries.push({
        uri: `s3://${bucket}/${key}`,
        relativePath: key.slice(keyPrefix.length),
        size: object.Size ?? 0,
      });
    }
    if (entries.length > 0) yield entries;
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

async function readObject(client: S3Client, at: S3Prefix, objectUri: string): Promise<Buffer> {
  const Key = at.keyOf(objectUri);
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: at.bucket, Key }));
    if (answer.Body === undefined) throw new S3DatasourceError(`${objectUri} has no body`);
    return Buffer.from(await answer.Body.transformToByteArray());
  } catch (err) {
    throw err instanceof S3DatasourceError
      ? err
      : describeS3Error(err, 'get', at.bucket, objectUri);
  }
}

async function writeObject(
  client: S3Client,
  at: S3Prefix,
  relativePath: string,
  data: Buffer,
): Promise<string> {
  const objectUri = at.uriOf(relativePath);
  const Key = at.keyOf(objectUri);
  await client
    .send(new PutObjectCommand({ Bucket: at.bucket, Key, Body: data }))
    .catch((err: unknown) => {
      throw describeS3Error(err, 'put', at.bucket, objectUri);
    });
  return objectUri;
}

/** An S3 (or S3-compatible) prefix; URIs are `s3://bucket/key` with the key verbatim. */
export function createS3Datasource(uri: string, opts: S3DatasourceOptions = {}): Datasource {
  const at = s3Prefix(parseS3Uri(uri));
  const client = opts.client ?? buildClient(opts);
  return {
    root: at.root,
    list: () => listEntries(client, at),
    read: (objectUri) => readObject(client, at, objectUri),
    uriOf: at.uriOf,
    readConcurrency: S3_READ_CONCURRENCY,
    write: (relativePath, data) => writeObject(client, at, relativePath, data),
    presign: (objectUri, expiresInSeconds) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: at.bucket, Key: at.keyOf(objectUri) }), {
        expiresIn: expiresInSeconds,
      }),
  };
}
