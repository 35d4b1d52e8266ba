/**
 * HTTP calls to the server. Answers are outside values (another process), so each is parsed
 * with the contract's schema for that route (`@al/contract`, zod/mini). Admin calls carry
 * `Authorization: Bearer <token>`.
 */
import * as z from 'zod/mini';
import { HttpErrorBodySchema, type ProjectSummary } from '@al/contract';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<S extends z.ZodMiniType>(
  url: string,
  schema: S,
  init: RequestInit & { token?: string } = {},
): Promise<z.infer<S>> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.body !== undefined && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  const res = await fetch(url, { ...init, headers });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = HttpErrorBodySchema.safeParse(body);
    throw new HttpError(res.status, parsed.success ? parsed.data.error.message : res.statusText);
  }
  return schema.parse(body);
}

export type Project = ProjectSummary;

export const projectPath = (project: string) => `/api/projects/${encodeURIComponent(project)}`;
