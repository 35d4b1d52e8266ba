/** One object a datasource holds: enough to decide whether to read it. */
export interface DatasourceEntry {
  /** Stable identity stored as samples.source_uri: an absolute path or s3://bucket/key. */
  uri: string;
  /** Path below the datasource root, with '/' separators; what humans are shown. */
  relativePath: string;
  size: number;
}

/**
 * Where images come from. The importer, the image server and the orchestrator only talk to
 * this, so a new kind of store sits beside the local folder and S3 ones without touching them.
 */
export interface Datasource {
  /** The root as recorded in projects.source_roots (absolute folder or s3:// prefix). */
  readonly root: string;
  /**
   * Every object under the root, one page at a time (S3: one ListObjectsV2 answer, at most
   * 1,000 keys; folders: LIST_PAGE_SIZE files), so a million-key bucket is never held in
   * memory at once. The order is stable between runs of an unchanged source.
   */
  list: () => AsyncIterable<DatasourceEntry[]>;
  /** The URI of the object at a path below the root (what `write` would return for it). */
  uriOf: (relativePath: string) => string;
  /** The bytes of one object; the URI must be one under this root (path or s3:// URI). */
  read: (uri: string) => Promise<Buffer>;
  /** Stores bytes under the root; returns the new object's URI. */
  write: (relativePath: string, data: Buffer) => Promise<string>;
  /**
   * How many objects the importer reads at once unless told otherwise. Remote stores are
   * latency-bound, so reads in flight hide each other's round trips; a local disk is
   * decode-bound, where more than the cores only adds contention.
   */
  readConcurrency?: number;
  /** A time-limited URL a browser can GET the object from; absent for local folders. */
  presign?: (uri: string, expiresInSeconds: number) => Promise<string>;
}

/** Files per page when listing a folder; S3 pages are whatever the service returns. */
export const LIST_PAGE_SIZE = 1_000;
