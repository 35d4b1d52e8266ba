import type { Datasource } from '@al/media';

/** How long a presigned URL is valid: long enough for a labelling session's preloads. */
export const PRESIGN_SECONDS = 3600;
/** A URL is handed out again while at least this much of its life is left. */
const REUSE_WHILE_SECONDS_LEFT = PRESIGN_SECONDS / 2;
/** Browsers may cache the redirect, but must follow it while the URL still works. */
const REDIRECT_MARGIN_SECONDS = 300;
const MAX_ENTRIES = 50_000;

export interface PresignedRedirect {
  url: string;
  /** For Cache-Control on the 302: how long the browser may reuse it. */
  maxAgeSeconds: number;
}

/**
 * Reuses one presigned URL per object for half its life. Signing is local CPU work, so this is
 * not about cost: every fresh signature is a different URL, and a stable URL is what lets the
 * browser cache the image itself instead of downloading it again on each view.
 */
export class PresignCache {
  private readonly urls = new Map<string, { url: string; expiresAt: number }>();

  async redirectFor(
    presign: NonNullable<Datasource['presign']>,
    uri: string,
    now = Date.now(),
  ): Promise<PresignedRedirect> {
    let entry = this.urls.get(uri);
    if (!entry || entry.expiresAt - now < REUSE_WHILE_SECONDS_LEFT * 1000) {
      const url = await presign(uri, PRESIGN_SECONDS);
      entry = { url, expiresAt: now + PRESIGN_SECONDS * 1000 };
      this.urls.delete(uri);
      this.urls.set(uri, entry);
      // Map order is insertion order: the first key is the one signed longest ago.
      if (this.urls.size > MAX_ENTRIES) {
        const oldest = this.urls.keys().next();
        if (oldest.done !== true) this.urls.delete(oldest.value);
      }
    }
    const secondsLeft = Math.floor((entry.expiresAt - now) / 1000);
    return { url: entry.url, maxAgeSeconds: Math.max(0, secondsLeft - REDIRECT_MARGIN_SECONDS) };
  }
}
