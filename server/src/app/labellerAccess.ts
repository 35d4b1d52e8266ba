import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';

/** Constant-time equality of two secrets of any length (compares their sha256 digests). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Who may label: 'open' (anyone, by name), 'shared' (one team token, LABELLER_TOKEN) or
 * 'per-labeller' (LABELLER_TOKENS_FILE: each name its own token, so nobody labels under
 * another's name).
 */
export interface LabellerAccess {
  readonly mode: 'open' | 'shared' | 'per-labeller';
  /** The socket handshake: may `name` connect with `token`? */
  allowsLabeller: (name: string, token: string | undefined) => boolean;
  /** HTTP routes carry no name: is `token` any labeller's token? */
  allowsToken: (token: string | undefined) => boolean;
}

export class LabellerAccessError extends Error {
  override name = 'LabellerAccessError';
}

/** `name:<64 hex>` — the hex is sha256 of the token, so the file holds no usable secret. */
const TokenLineSchema = z.object({
  name: z.string().trim().min(1).max(64),
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'expected the sha256 hex digest of the token'),
});

/** Parses a tokens file: one `name:sha256hex` a line; blank lines and `#` comments ignored. */
export function parseTokensFile(text: string): Map<string, Buffer> {
  const digests = new Map<string, Buffer>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.lastIndexOf(':');
    const parsed = TokenLineSchema.safeParse({
      name: line.slice(0, Math.max(colon, 0)),
      digest: line.slice(colon + 1).toLowerCase(),
    });
    // Name the line, never echo it: a mistaken line may hold a plain token.
    if (colon <= 0 || !parsed.success) {
      throw new LabellerAccessError(
        `labeller tokens file, line ${index + 1}: expected name:<sha256 hex>`,
      );
    }
    digests.set(parsed.data.name, Buffer.from(parsed.data.digest, 'hex'));
  });
  return digests;
}

/** Every entry is compared, found or not, so the time taken says nothing about the token. */
function findLabeller(digests: Map<string, Buffer>, token: string): string | undefined {
  const given = sha256(token);
  let found: string | undefined;
  for (const [name, digest] of digests) {
    if (timingSafeEqual(given, digest) && found === undefined) found = name;
  }
  return found;
}

/** How often, at most, the tokens file is checked for changes. */
const RELOAD_CHECK_MS = 2_000;

/**
 * The tokens file's entries, re-read when its mtime or size changes, so issuing or revoking a
 * token needs no restart. The check runs in the background at most every RELOAD_CHECK_MS and
 * never delays a request; a file that became unreadable or malformed keeps the last good entries.
 */
async function reloadingDigests(
  file: string,
  onReloadError: (err: unknown) => void,
): Promise<() => Map<string, Buffer>> {
  const version = async () => {
    const info = await stat(file);
    return `${String(info.mtimeMs)}/${String(info.size)}`;
  };
  let seen = await version();
  let digests = parseTokensFile(await readFile(file, 'utf8'));
  let checkedAt = Date.now();
  let checking = false;
  const check = async () => {
    const now = await version();
    if (now === seen) return;
    digests = parseTokensFile(await readFile(file, 'utf8'));
    seen = now;
  };
  return () => {
    if (!checking && Date.now() - checkedAt >= RELOAD_CHECK_MS) {
      checking = true;
      checkedAt = Date.now();
      check()
        .catch(onReloadError)
        .finally(() => {
          checking = false;
        });
    }
    return digests;
  };
}

export async function loadLabellerAccess(opts: {
  sharedToken: string | undefined;
  tokensFile: string | undefined;
  onReloadError?: (err: unknown) => void;
}): Promise<LabellerAccess> {
  if (opts.sharedToken !== undefined && opts.tokensFile !== undefined) {
    // A shared token would let anyone pick any name, undoing the per-labeller file.
    throw new LabellerAccessError('set LABELLER_TOKEN or LABELLER_TOKENS_FILE, not both');
  }
  if (opts.tokensFile !== undefined) {
    const digests = await reloadingDigests(
      opts.tokensFile,
      opts.onReloadError ?? (() => undefined),
    );
    return {
      mode: 'per-labeller',
      allowsLabeller: (name, token) =>
        token !== undefined && findLabeller(digests(), token) === name,
      allowsToken: (token) => token !== undefined && findLabeller(digests(), token) !== undefined,
    };
  }
  const shared = opts.sharedToken;
  if (shared !== undefined) {
    const allowsToken = (token: string | undefined) =>
      token !== undefined && secretsEqual(token, shared);
    return { mode: 'shared', allowsLabeller: (_name, token) => allowsToken(token), allowsToken };
  }
  return { mode: 'open', allowsLabeller: () => true, allowsToken: () => true };
}
