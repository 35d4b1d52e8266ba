/** A problem with an S3 source, worded for the person running the import or the server. */
export class S3DatasourceError extends Error {
  override name = 'S3DatasourceError';

  constructor(
    message: string,
    /** 'not-found' lets the image route answer 404 for an object deleted since import. */
    readonly reason: 'not-found' | 'denied' | 'credentials' | 'invalid' | 'other' = 'other',
  ) {
    super(message);
  }
}

export type S3Operation = 'list' | 'get' | 'put';

const PERMISSION: Record<S3Operation, string> = {
  list: 's3:ListBucket',
  get: 's3:GetObject',
  put: 's3:PutObject',
};

function errorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { name, Code } = err as { name?: unknown; Code?: unknown };
  if (typeof Code === 'string') return Code;
  return typeof name === 'string' ? name : undefined;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code } = err as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns an SDK error into one sentence naming the problem (missing bucket, missing permission,
 * wrong credentials), so users never see a stack trace. `target` is the bucket or s3:// URI.
 */
export function describeS3Error(
  err: unknown,
  op: S3Operation,
  bucket: string,
  target: string,
): S3DatasourceError {
  const name = errorName(err);
  switch (name ?? '') {
    case 'NoSuchBucket':
      return new S3DatasourceError(`bucket ${bucket} does not exist`, 'not-found');
    case 'NoSuchKey':
    case 'NotFound':
      return new S3DatasourceError(`object ${target} does not exist`, 'not-found');
    case 'AccessDenied':
    case 'Forbidden':
      return new S3DatasourceError(
        `missing permission ${PERMISSION[op]} on ${op === 'list' ? bucket : target}`,
        'denied',
      );
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'InvalidToken':
    case 'ExpiredToken':
    case 'CredentialsProviderError':
      return new S3DatasourceError(
        `wrong AWS credentials (${name}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
        'credentials',
      );
    default:
      break; // not one of the problems worth its own sentence: described below
  }
  const code = errorCode(err);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET') {
    return new S3DatasourceError(`cannot reach the S3 endpoint (${code}) for bucket ${bucket}`);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes('Region is missing')) {
    return new S3DatasourceError('no AWS region configured: set AWS_REGION');
  }
  return new S3DatasourceError(`S3 ${op} of ${target} failed: ${name ?? 'error'}: ${message}`);
}
