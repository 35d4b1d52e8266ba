import type { DatasourceEntry } from '@al/media';

export interface ListingCounts {
  /** Entries the filter refused (other files, thumbnails written under the project's suffix). */
  ignored: number;
}

/**
 * Regroups a datasource's pages into chunks of `chunkSize` accepted entries, so the importer
 * holds one chunk plus at most one listing page however big the source is. The next page is
 * requested before a chunk is handed over, so listing the bucket overlaps with reading and
 * decoding the chunk before it instead of adding a round trip per page.
 */
export async function* imageChunks(
  pages: AsyncIterable<DatasourceEntry[]>,
  chunkSize: number,
  accept: (entry: DatasourceEntry) => boolean,
  counts: ListingCounts,
): AsyncGenerator<DatasourceEntry[]> {
  const iterator = pages[Symbol.asyncIterator]();
  let pending = iterator.next();
  let chunk: DatasourceEntry[] = [];
  try {
    for (;;) {
      const page = await pending;
      if (page.done === true) break;
      pending = iterator.next();
      // Awaited on the next turn; this only keeps a listing error raised while the consumer
      // is busy (or gone) from counting as unhandled.
      pending.catch(() => undefined);
      for (const entry of page.value) {
        if (!accept(entry)) {
          counts.ignored++;
          continue;
        }
        chunk.push(entry);
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
    }
    if (chunk.length > 0) yield chunk;
  } finally {
    // Stopped early (abort, error in the consumer): let the datasource close its listing.
    await iterator.return?.();
  }
}
