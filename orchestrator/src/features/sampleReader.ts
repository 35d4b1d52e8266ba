/**
 * Reads samples' original bytes through the server's datasources, so features come from a
 * local folder or an S3 prefix alike. Each sample is read through the datasource of the
 * project root it lies under (projects.source_roots; the longest match), which also confines
 * reads to what was imported. A sample under no recorded root (projects imported before
 * roots were recorded) is read through its own folder, or its bucket for s3:// URIs.
 */
import path from 'node:path';
import { createDatasource, isS3Uri } from '@al/media';
import type { S3DatasourceOptions } from '@al/media';
import type { Datasource } from '@al/media';

function isUnder(root: string, uri: string): boolean {
  if (isS3Uri(root)) return uri.startsWith(root.endsWith('/') ? root : `${root}/`);
  const rel = path.relative(root, uri);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function fallbackRoot(uri: string): string {
  if (isS3Uri(uri)) {
    const bucketEnd = uri.indexOf('/', 's3://'.length);
    return bucketEnd < 0 ? uri : uri.slice(0, bucketEnd);
  }
  return path.dirname(uri);
}

export class SampleReader {
  private readonly sources = new Map<string, Datasource>();
  private readonly roots: string[];

  /** `s3Options`: path style for S3-compatible stores (from the config); tests add a client. */
  constructor(
    sourceRoots: readonly string[],
    private readonly s3Options?: S3DatasourceOptions,
  ) {
    // Longest first: a nested root wins over its parent.
    this.roots = [...sourceRoots].sort((a, b) => b.length - a.length);
  }

  read(uri: string): Promise<Buffer> {
    const root = this.roots.find((r) => isUnder(r, uri)) ?? fallbackRoot(uri);
    let source = this.sources.get(root);
    if (!source) {
      source = createDatasource(root, this.s3Options);
      this.sources.set(root, source);
    }
    return source.read(uri);
  }
}
