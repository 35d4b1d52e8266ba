import type { Logger } from '@al/media';
import { isMissingObject } from '@al/media';
import { S3DatasourceError } from '@al/media';
import type { Datasource } from '@al/media';
import { resizeImage, type ResizedImage } from '@al/media';
import { thumbnailLocation, type ThumbnailFormat } from '@al/media';

/** Thumbnails are written at this size; smaller requests are resized from them. */
export const THUMBNAIL_SIZE = 512;
/** Thumbnails known to be stored, remembered so a presign does not look again. */
const MAX_KNOWN = 100_000;

const CONTENT_TYPE: Record<ThumbnailFormat, ResizedImage['contentType']> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** Refused for good (no s3:PutObject, wrong credentials, read-only folder), not a blip. */
function isPermissionProblem(err: unknown): boolean {
  if (err instanceof S3DatasourceError) {
    return err.reason === 'denied' || err.reason === 'credentials';
  }
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/**
 * Lightly-style thumbnails next to the originals. A request for up to THUMBNAIL_SIZE px reads
 * the thumbnail first and only falls back to the original (and writes the thumbnail) when it
 * is not there yet. Writing is best effort: a source the credentials may not write to (no
 * s3:PutObject, a read-only folder) is logged once with the clear error and then no longer
 * tried, and images keep being served resized from the originals.
 */
export class ThumbnailStore {
  /** Roots whose writes were refused; never retried in this process. */
  private readonly unwritable = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private readonly known = new Set<string>();

  constructor(private readonly log: Logger) {}

  /**
   * The URI of the original's thumbnail once it is stored, writing it first if it is missing
   * (for a presigned redirect: the browser then downloads ≤ THUMBNAIL_SIZE px instead of the
   * original). Undefined when it cannot be stored or read (a source refusing writes, an
   * unreadable original): the caller then presigns the original. Never rejects.
   */
  async storedUri(
    datasource: Datasource,
    original: { uri: string; relativePath: string },
    suffix: string,
  ): Promise<string | undefined> {
    const thumb = thumbnailLocation(original.relativePath, suffix);
    const thumbUri = datasource.uriOf(thumb.relativePath);
    if (this.known.has(thumbUri)) return thumbUri;
    try {
      await datasource.read(thumbUri);
    } catch (err) {
      if (!isMissingObject(err)) {
        const reason = err instanceof Error ? err.message : String(err);
        this.log.warn({ thumbUri, reason }, 'thumbnail unusable; presigning the original');
        return undefined;
      }
      if (!(await this.rewrite(datasource, original, suffix))) return undefined;
    }
    this.known.add(thumbUri);
    // Set order is insertion order: forget the longest known first.
    if (this.known.size > MAX_KNOWN) {
      const oldest = this.known.values().next();
      if (oldest.done !== true) this.known.delete(oldest.value);
    }
    return thumbUri;
  }

  async resized(
    datasource: Datasource,
    original: { uri: string; relativePath: string },
    suffix: string,
    size: number,
  ): Promise<ResizedImage> {
    const thumb = thumbnailLocation(original.relativePath, suffix);
    const thumbUri = datasource.uriOf(thumb.relativePath);
    const fromThumbnail = await this.fromStored(datasource, thumbUri, thumb.format, size);
    if (fromThumbnail) return fromThumbnail;
    const bytes = await datasource.read(original.uri);
    const made = await resizeImage(bytes, THUMBNAIL_SIZE, thumb.format);
    this.writeInBackground(datasource, thumb.relativePath, made.body);
    // The same format as later answers from the stored thumbnail, so a size looks the same
    // whether it was served before or after the thumbnail existed.
    return size >= THUMBNAIL_SIZE ? made : resizeImage(bytes, size, thumb.format);
  }

  /**
   * The answer from a stored thumbnail, or undefined to fall back to the original: when there
   * is none yet, and also when it cannot be read or decoded (a half-written object, a GET
   * refused on the thumbnail alone), which must not make the image unservable.
   */
  private async fromStored(
    datasource: Datasource,
    thumbUri: string,
    format: ThumbnailFormat,
    size: number,
  ): Promise<ResizedImage | undefined> {
    try {
      const stored = await datasource.read(thumbUri);
      return size >= THUMBNAIL_SIZE
        ? { body: stored, contentType: CONTENT_TYPE[format] }
        : await resizeImage(stored, size, format);
    } catch (err) {
      if (!isMissingObject(err)) {
        const reason = err instanceof Error ? err.message : String(err);
        this.log.warn({ thumbUri, reason }, 'thumbnail unusable; serving from the original');
      }
      return undefined;
    }
  }

  /**
   * Writes the thumbnail of an original (again), from its current bytes: a re-import found the
   * original changed (the stored thumbnail would otherwise keep showing the old image), or a
   * presign needs one. Whether it was written; never rejects: a refused write is logged once,
   * as when serving.
   */
  async rewrite(
    datasource: Datasource,
    original: { uri: string; relativePath: string },
    suffix: string,
  ): Promise<boolean> {
    const thumb = thumbnailLocation(original.relativePath, suffix);
    let made: ResizedImage;
    try {
      made = await resizeImage(await datasource.read(original.uri), THUMBNAIL_SIZE, thumb.format);
    } catch (err) {
      // Gone or unreadable since it was listed: serving will fall back to the original.
      const reason = err instanceof Error ? err.message : String(err);
      this.log.warn({ uri: original.uri, reason }, 'thumbnail not rewritten');
      return false;
    }
    return this.write(datasource, thumb.relativePath, made.body);
  }

  /** Resolves once every thumbnail write started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Not awaited by the request: the labeller gets the image without waiting for the PUT. */
  private writeInBackground(datasource: Datasource, relativePath: string, body: Buffer): void {
    const write = this.write(datasource, relativePath, body).then(() => undefined);
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /**
   * Whether the thumbnail was written. Never rejects: a failed write is logged (a refused one
   * once per root) and given up.
   */
  private async write(
    datasource: Datasource,
    relativePath: string,
    body: Buffer,
  ): Promise<boolean> {
    if (this.unwritable.has(datasource.root)) return false;
    return datasource.write(relativePath, body).then(
      () => true,
      (err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err);
        if (!isPermissionProblem(err)) {
          this.log.warn({ root: datasource.root, relativePath, reason }, 'thumbnail write failed');
          return false;
        }
        if (this.unwritable.has(datasource.root)) return false;
        this.unwritable.add(datasource.root);
        this.log.warn(
          { root: datasource.root, reason },
          `thumbnails cannot be written under ${datasource.root} (${reason}); ` +
            'images are still served, resized from the originals',
        );
        return false;
      },
    );
  }
}
