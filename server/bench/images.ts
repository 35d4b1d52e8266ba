/**
 * npm run bench:images [-- --images 10000 --photos 100 --seconds 10 --connections 10 --tiffs 5
 *   --tiffs-only]
 * Import throughput (objects/s) of small images from s3rver and from a local folder, then
 * image-serving throughput for resized images (requests/s, p50/p99) with autocannon (in a
 * child process): proxied with and without the resize cache, from thumbnails written under a
 * suffix, and from a local folder; then the first preview of 4096×4096 16-bit microscopy TIFFs
 * (microscopyPreview.ts), uncached and cached. Starts its own embedded Postgres and s3rver.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { getProjectByName, type DbSampleRow } from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { createApp, type App } from '../src/app/createApp';
import { createDatasource } from '@al/media';
import type { Datasource } from '@al/media';
import { createS3Datasource } from '@al/media';
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from '@al/media/testing';
import { importFromDatasource, type ImportOptions } from '../src/importer/importFolder';
import { createLogger } from '@al/media';
import { adminImport } from './adminImport';
import { uploadFolder, writePhotos, writeSmallImages } from './imageFixtures';
import { summarise, TIFF_SIDE, timePreviews, writeMicroscopyTiffs } from './microscopyPreview';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '10000' },
    photos: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    tiffs: { type: 'string', default: '5' },
    'tiffs-only': { type: 'boolean', default: false },
  },
});
const opts = z
  .object({
    images: z.coerce.number().int().positive(),
    photos: z.coerce.number().int().positive(),
    seconds: z.coerce.number().positive(),
    connections: z.coerce.number().int().positive(),
    tiffs: z.coerce.number().int().min(0),
    'tiffs-only': z.boolean(),
  })
  .parse(values);

const BUCKET = 'bench';
const SIZE = 256;
const here = path.dirname(fileURLToPath(import.meta.url));
const logger = createLogger('warn');

interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  bytesPerSecond: number;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

async function timedImport(
  db: TestDatabase,
  name: string,
  datasource: Datasource,
  extra: Partial<ImportOptions> = {},
): Promise<{ objects: number; seconds: number }> {
  const started = performance.now();
  const summary = await importFromDatasource({
    knex: db.knex,
    project: { name, options: ['a', 'b'] },
    datasource,
    logger,
    ...extra,
  });
  if (summary.failed.length > 0)
    throw new Error(`${name}: ${String(summary.failed.length)} failed`);
  return { objects: summary.found, seconds: seconds(started) };
}

function runLoad(url: string, paths: string[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'imageLoad.ts')], {
      env: {
        ...process.env,
        URL: url,
        PATHS: JSON.stringify(paths),
        CONNECTIONS: String(opts.connections),
        SECONDS: String(opts.seconds),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as LoadResult);
      else reject(new Error(`load generator exited with ${String(code)}`));
    });
  });
}

async function listen(db: TestDatabase, cacheBytes: number): Promise<{ app: App; url: string }> {
  const app = await createApp({
    knex: db.knex,
    databaseUrl: db.url,
    logger,
    imageCacheBytes: cacheBytes,
    config: {
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      LABELLER_TOKEN: undefined,
      LEASE_TTL_SECONDS: 60,
      // The s3rver endpoint (its address is in AWS_ENDPOINT_URL_S3) needs path-style requests.
      S3_FORCE_PATH_STYLE: true,
    },
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${String(port)}` };
}

async function imagePaths(db: TestDatabase, project: string, size: number): Promise<string[]> {
  const p = await getProjectByName({ tx: db.knex, name: project });
  if (!p) throw new Error(`no project ${project}`);
  const rows = await db.knex<DbSampleRow>('samples').where({ project_id: p.id }).orderBy('id');
  return rows.map((r) => `/api/samples/${String(r.id)}/image?size=${String(size)}`);
}

/** One request per path, a few at a time: fills caches and writes thumbnails. */
async function warm(url: string, paths: string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += 8) {
    await Promise.all(
      paths.slice(i, i + 8).map(async (p) => {
        const answer = await fetch(url + p);
        if (answer.status !== 200) throw new Error(`${p}: ${String(answer.status)}`);
        await answer.arrayBuffer();
      }),
    );
  }
}

async function countKeys(s3: TestS3, prefix: string, suffix: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    count += (page.Contents ?? []).filter((o) => o.Key?.endsWith(suffix)).length;
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return count;
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ');
  return [
    line(headers),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...cells.slice(1).map(line),
  ].join('\n');
}

/** The preview size the labelling page asks for first. */
const PREVIEW_SIZE = 512;

async function benchMicroscopy(db: TestDatabase, work: string): Promise<void> {
  if (opts.tiffs === 0) return;
  const dir = path.join(work, 'tiffs');
  console.log(`writing ${String(opts.tiffs)} ${String(TIFF_SIDE)}² 16-bit LZW TIFFs...`);
  await writeMicroscopyTiffs(dir, opts.tiffs);
  const imported = await timedImport(db, 'microscopy', createDatasource(dir));
  const served = await listen(db, 256 * 2 ** 20);
  try {
    const times = await timePreviews(
      served.url,
      await imagePaths(db, 'microscopy', PREVIEW_SIZE),
      5,
    );
    console.log(
      `\nmicroscopy: ${String(opts.tiffs)} ${String(TIFF_SIDE)}x${String(TIFF_SIDE)} 16-bit grey ` +
        `LZW TIFFs (import ${imported.seconds.toFixed(1)} s), ${String(PREVIEW_SIZE)} px preview ` +
        `stretched at 0.5-99.5 %, one request at a time (goals 300 ms uncached, 20 ms cached)`,
    );
    console.log(`  first request (uncached): ${summarise(times.uncached)}`);
    console.log(`  again (cached):           ${summarise(times.cached)}`);
  } finally {
    await served.app.close();
  }
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'bench-images-'));
  const [db, s3] = await Promise.all([createTestDatabase({ poolMax: 10 }), startS3rver()]);
  try {
    if (opts['tiffs-only']) {
      await benchMicroscopy(db, work);
      return;
    }
    await s3.createBucket(BUCKET);
    const smallDir = path.join(work, 'small');
    const photoDir = path.join(work, 'photos');
    console.log(`writing ${String(opts.images)} small PNGs and ${String(opts.photos)} photos...`);
    await writeSmallImages(smallDir, opts.images);
    await writePhotos(photoDir, opts.photos);
    const uploadStarted = performance.now();
    await uploadFolder(s3, BUCKET, 'small', smallDir);
    await uploadFolder(s3, BUCKET, 'photos', photoDir);
    console.log(`uploaded to s3rver in ${seconds(uploadStarted).toFixed(1)} s; importing...`);

    const s3Small = () => createS3Datasource(`s3://${BUCKET}/small`, s3.options);
    const imports: [string, { objects: number; seconds: number }][] = [
      [
        'local folder, 2 decodes at once (default)',
        await timedImport(db, 'local', createDatasource(smallDir)),
      ],
      ['s3rver, 2 at once', await timedImport(db, 's3-c2', s3Small(), { concurrency: 2 })],
      ['s3rver, 8 at once (default)', await timedImport(db, 's3', s3Small())],
      ['s3rver re-run, nothing new (list + lookups)', await timedImport(db, 's3', s3Small())],
      [
        's3rver --process-all (re-read everything)',
        await timedImport(db, 's3', s3Small(), { processAll: true }),
      ],
      ['local re-run, nothing new', await timedImport(db, 'local', createDatasource(smallDir))],
    ];

    const photos = () => createS3Datasource(`s3://${BUCKET}/photos`, s3.options);
    await timedImport(db, 'serve-s3', photos());
    await timedImport(db, 'serve-thumbs', photos(), {
      imageSettings: { thumbnailSuffix: '_thumb' },
    });
    await timedImport(db, 'serve-local', createDatasource(photoDir));

    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
    });
    const cached = await listen(db, 256 * 2 ** 20);
    const uncached = await listen(db, 0);
    try {
      imports.push([
        'local folder from the admin page (POST /api/projects, polled)',
        await adminImport(cached, smallDir),
      ]);
      const s3Paths = await imagePaths(db, 'serve-s3', SIZE);
      const thumbPaths = await imagePaths(db, 'serve-thumbs', SIZE);
      await warm(cached.url, s3Paths);
      await warm(uncached.url, thumbPaths); // writes the thumbnails
      for (let i = 0; i < 50 && (await countKeys(s3, 'photos/', '_thumb.jpg')) < opts.photos; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const scenarios: [string, string, string[]][] = [
        [`s3 proxy, cache warm (${String(SIZE)} px)`, cached.url, s3Paths],
        [`s3 proxy, no cache: GET original + resize`, uncached.url, s3Paths],
        [`s3 thumbnails, no cache: GET _thumb + resize`, uncached.url, thumbPaths],
        [
          `s3 thumbnails, no cache, 512 px: _thumb as is`,
          uncached.url,
          await imagePaths(db, 'serve-thumbs', 512),
        ],
        [
          `local folder, no cache: read + resize`,
          uncached.url,
          await imagePaths(db, 'serve-local', SIZE),
        ],
      ];
      const serving: [string, LoadResult][] = [];
      for (const [label, url, paths] of scenarios) {
        console.log(`load: ${label}...`);
        serving.push([label, await runLoad(url, paths)]);
      }

      console.log(
        `\nmachine: ${String(availableParallelism())} cores (shared), node ${process.version}`,
      );
      console.log(
        `\nimport of ${String(opts.images)} 32x32 PNGs (decoded in full, hashed, inserted)`,
      );
      console.log(
        table(
          ['source', 'objects', 'seconds', 'objects/s'],
          imports.map(([label, r]) => [
            label,
            r.objects,
            r.seconds.toFixed(1),
            Math.round(r.objects / r.seconds),
          ]),
        ),
      );
      console.log(
        `\nimage serving: ${String(opts.photos)} 1024x768 JPEGs round-robin, ` +
          `${String(opts.connections)} connections, ${String(opts.seconds)} s each (autocannon)`,
      );
      console.log(
        table(
          ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
          serving.map(([label, r]) => [
            label,
            Math.round(r.requestsPerSecond),
            r.p50,
            r.p99,
            r.non2xx,
            r.errors,
          ]),
        ),
      );
    } finally {
      await Promise.all([cached.app.close(), uncached.app.close()]);
    }
    await benchMicroscopy(db, work);
  } finally {
    await Promise.all([db.destroy(), s3.close(), rm(work, { recursive: true, force: true })]);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
