import { randomBytes } from 'node:crypto';
import type { Logger } from '@al/media';

/**
 * The token guarding admin routes: ADMIN_TOKEN when set, else a fresh random one for this
 * process. The generated token is logged once, on purpose: it is the only way an operator
 * who did not set one can use the admin routes, and the only place the server prints a secret.
 * Several server processes each generate their own; set ADMIN_TOKEN when running more than one.
 */
export function resolveAdminToken(configured: string | undefined, logger: Logger): string {
  if (configured !== undefined) return configured;
  const token = randomBytes(24).toString('base64url');
  logger.warn(
    { adminToken: token },
    'ADMIN_TOKEN is not set: generated one for this process (use it as "Authorization: Bearer <token>")',
  );
  return token;
}
