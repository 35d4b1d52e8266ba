import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3DatasourceOptions } from '../datasources/s3';

/** s3rver accepts exactly this key pair (its built-in dummy account); any other key id fails. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestS3 {
  endpoint: string;
  /** Options pointing the SDK at this server: endpoint, path-style, dummy credentials. */
  options: S3DatasourceOptions;
  client: S3Client;
  createBucket: (bucket: string) => Promise<void>;
  put: (bucket: string, key: string, body: Buffer) => Promise<void>;
  close: () => Promise<void>;
}

const SERVER_SCRIPT = fileURLToPath(new URL('./s3rverProcess.ts', import.meta.url));

/**
 * s3rver 3.7 encrypts ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 only
 * offers through the legacy provider, a startup flag: so the server runs in a child process
 * started with it rather than inside the test process.
 */
async function spawnS3rver(directory: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--import', 'tsx', SERVER_SCRIPT, directory],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('s3rver exited before listening');
    }),
  ])) as [string];
  lines.close();
  const { port } = JSON.parse(first) as { port: number };
  return { child, port };
}

/** A real S3-protocol server over HTTP on loopback, storing objects in a temp folder. */
export async function startS3rver(): Promise<TestS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 's3rver-'));
  const { child, port } = await spawnS3rver(directory);
  const endpoint = `http://127.0.0.1:${String(port)}`;
  const options: S3DatasourceOptions = {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  };
  const client = new S3Client({ ...options, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    options,
    client,
    createBucket: async (Bucket) => {
      await client.send(new CreateBucketCommand({ Bucket }));
    },
    put: async (Bucket, Key, Body) => {
      await client.send(new PutObjectCommand({ Bucket, Key, Body }));
    },
    close: async () => {
      client.destroy();
      const exited = once(child, 'exit');
      child.stdin?.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
