import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { errorBody } from './errors';

/**
 * Whether a request's Origin may use the API: no Origin (curl, scripts, socket.io-client in
 * Node, plain navigations), the server's own origin (Origin host equals Host), or one listed in
 * CORS_ORIGINS. Everything else — a page on another site, `Origin: null` — is refused. Behind a
 * proxy that rewrites Host, list the public origin in CORS_ORIGINS.
 */
export function originAllowed(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.has(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * CORS closed by default. Browsers would already hide cross-origin answers without CORS headers,
 * but a "simple" cross-site POST still runs; refusing foreign origins outright stops that too.
 * Listed origins get the CORS headers and their preflights answered.
 */
export function originGuard(corsOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(corsOrigins);
  return (req, res, next) => {
    if (!originAllowed(req, allowed)) {
      res.status(403).json(errorBody('FORBIDDEN', 'cross-origin requests are not allowed'));
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.vary('Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
