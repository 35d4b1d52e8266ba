/**
 * Makes sure every sample of a project has cached features for the spec: only content that
 * was never decoded under this spec is read and decoded, so a retrain after the first one
 * decodes only newly imported images (Lightly's datapool: embed only what is new).
 */
import {
  insertFeatures,
  listQueueHeadMissingFeatures,
  listSamplesMissingFeatures,
  type NewFeatures,
  type SampleToDecode,
  type Tx,
} from '@al/db';
import type { Logger } from 'pino';
import { decodeFeatures } from './decodeFeatures';
import { inputSpecKey, type InputSpec } from './inputSpec';
import type { SampleReader } from './sampleReader';

/** Samples per page; each page is decoded and written before the next is read. */
const PAGE_SIZE = 500;
/** Decodes in flight: sharp runs them on libuv's thread pool, 4 threads unless configured. */
const DECODE_CONCURRENCY = 4;

export interface CacheFeaturesResult {
  decoded: number;
  failed: number;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface CacheTarget {
  knex: Tx;
  projectId: number;
  spec: InputSpec;
  /** Where the images are read from (the project's datasources). */
  reader: SampleReader;
  logger: Logger;
  signal?: AbortSignal;
}

/** Decodes each content hash of a page once and stores the features. */
async function decodeAndStore(
  { knex, spec, reader, logger }: CacheTarget,
  page: SampleToDecode[],
): Promise<CacheFeaturesResult> {
  const byHash = new Map<string, SampleToDecode>();
  for (const s of page) if (!byHash.has(s.content_hash)) byHash.set(s.content_hash, s);
  const features = await mapLimited(
    [...byHash.values()],
    DECODE_CONCURRENCY,
    async (s): Promise<NewFeatures | null> => {
      try {
        const data = await decodeFeatures(await reader.read(s.source_uri), spec);
        return { contentHash: s.content_hash, data };
      } catch (err) {
        // An unreadable image stays out of training and scoring (it keeps its priority);
        // it is tried again next retrain, in case the file comes back.
        logger.warn({ sampleId: s.id, err }, 'could not decode a sample for features');
        return null;
      }
    },
  );
  const ok = features.filter((f): f is NewFeatures => f !== null);
  await insertFeatures({ tx: knex, spec: inputSpecKey(spec), features: ok });
  return { decoded: ok.length, failed: features.length - ok.length };
}

/**
 * `afterPage` is awaited after each page that may not be the last (it was full), with what
 * this call has decoded so far.
 */
export async function cacheProjectFeatures(
  target: CacheTarget,
  afterPage?: (decodedSoFar: number) => Promise<void>,
): Promise<CacheFeaturesResult> {
  const { knex, projectId, spec, signal } = target;
  const key = inputSpecKey(spec);
  let afterId = 0;
  let decoded = 0;
  let failed = 0;
  for (;;) {
    signal?.throwIfAborted();
    const page = await listSamplesMissingFeatures({
      tx: knex,
      projectId,
      spec: key,
      afterId,
      limit: PAGE_SIZE,
    });
    const last = page.at(-1);
    if (!last) break;
    afterId = last.id;
    const done = await decodeAndStore(target, page);
    decoded += done.decoded;
    failed += done.failed;
    if (page.length === PAGE_SIZE) await afterPage?.(decoded);
  }
  return { decoded, failed };
}

/**
 * Caches features for the next `limit` open samples of the hand-out order only. `more`: the
 * head was full, so other samples may still lack features.
 */
export async function cacheQueueHeadFeatures(
  target: CacheTarget,
  limit: number,
): Promise<CacheFeaturesResult & { more: boolean }> {
  const head = await listQueueHeadMissingFeatures({
    tx: target.knex,
    projectId: target.projectId,
    spec: inputSpecKey(target.spec),
    limit,
  });
  let decoded = 0;
  let failed = 0;
  for (let start = 0; start < head.length; start += PAGE_SIZE) {
    target.signal?.throwIfAborted();
    const done = await decodeAndStore(target, head.slice(start, start + PAGE_SIZE));
    decoded += done.decoded;
    failed += done.failed;
  }
  return { decoded, failed, more: head.length === limit };
}
