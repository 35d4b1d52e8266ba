const KEY = 'labeller.token';

/**
 * The labeller token (when the server requires one) lives for the tab's session only. Every API
 * call and image download carries it: the server guards all of /api with it.
 */
export function loadLabellerToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function saveLabellerToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/**
 * An <img> cannot send an Authorization header, so same-origin image URLs carry the token as
 * `token=`. Only our own paths (starting with one "/"): a token must never travel to another host.
 */
export function withLabellerToken(url: string): string {
  const token = loadLabellerToken();
  if (token === undefined || !/^\/(?!\/)/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
