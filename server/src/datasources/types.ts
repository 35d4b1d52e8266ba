/** One object a datasource holds: enough to decide whether to read it. */
export interface DatasourceEntry {
  /** Stable identity stored as samples.source_uri: an absolute path, later s3://bucket/key. */
  uri: string;
  /** Path below the datasource root, with '/' separators; what humans are shown. */
  relativePath: string;
  size: number;
}

/**
 * Where images come from. The importer and the image server only talk to this, so an S3
 * implementation can sit beside the local folder one without touching them.
 */
export interface Datasource {
  /** The root as recorded in projects.source_roots (absolute folder or s3:// prefix). */
  readonly root: string;
  /** Every object under the root, in a stable order. */
  list: () => AsyncIterable<DatasourceEntry>;
  /** The bytes of one object; the URI must be one under this root. */
  read: (uri: string) => Promise<Buffer>;
  /** Stores bytes under the root; returns the new object's URI. */
  write: (relativePath: string, data: Buffer) => Promise<string>;
  /** A time-limited URL a browser can GET the object from; absent for local folders. */
  presign?: (uri: string, expiresInSeconds: number) => Promise<string>;
}
