/**
 * HTTP API of the server, parsed once here with zod (the server is another process: its
 * answers are outside values). zod/mini: the same checks at a fraction of the bundle. Admin calls carry `Authorization: Bearer <token>`.
 */
import * as z from 'zod/mini';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export async function fetchJson<S extends z.ZodMiniType>(
  url: string,
  schema: S,
  init: RequestInit & { token?: string } = {},
): Promise<z.infer<S>> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  const res = await fetch(url, { ...init, headers });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = ErrorBodySchema.safeParse(body);
    throw new HttpError(res.status, parsed.success ? parsed.data.error.message : res.statusText);
  }
  return schema.parse(body);
}

export const ProjectSchema = z.object({
  name: z.string(),
  options: z.array(z.string()),
  multiLabel: z.boolean(),
  labelsPerSample: z.number(),
});
export type Project = z.infer<typeof ProjectSchema>;
export const ProjectListSchema = z.array(ProjectSchema);

export const StatsSchema = z.object({
  project: z.string(),
  total: z.number(),
  labelled: z.number(),
  labels: z.number(),
  wanted: z.number(),
  inLease: z.number(),
  labellers: z.array(
    z.object({
      name: z.string(),
      labels: z.number(),
      conflicts: z.number(),
      skips: z.number(),
      lastAt: z.nullable(z.string()),
    }),
  ),
  labelsPerHour: z.array(z.object({ hour: z.string(), labels: z.number() })),
});
export type Stats = z.infer<typeof StatsSchema>;

/**
 * What the UI reads from `models.metrics` (orchestrator/src/model/metrics.ts): accuracy on the
 * held-out share, and for single-label projects confusion[truth][predicted] in the order of
 * perClass. Other keys pass through unread.
 */
const MetricsSchema = z.looseObject({
  accuracy: z.nullish(z.number()),
  evaluatedOn: z.optional(z.number()),
  confusion: z.nullish(z.array(z.array(z.number()))),
  perClass: z.optional(z.array(z.looseObject({ label: z.string() }))),
});
export const ModelSchema = z.object({
  version: z.number(),
  createdAt: z.string(),
  trainedOn: z.number(),
  backend: z.optional(z.string()),
  metrics: MetricsSchema,
});
export type Model = z.infer<typeof ModelSchema>;
export const ModelListSchema = z.array(ModelSchema);

export const RetrainAnswerSchema = z.object({ jobId: z.number() });

export const RetrainJobSchema = z.object({
  jobId: z.number(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  error: z.nullable(z.string()),
  startedAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
  modelVersion: z.nullable(z.number()),
});
export type RetrainJob = z.infer<typeof RetrainJobSchema>;

export const projectPath = (project: string) => `/api/projects/${encodeURIComponent(project)}`;
