/** The HTTP side of the public contract, as an outside client sees it (shapes checked by zod). */
import { z } from 'zod';

const ModelSchema = z.object({
  version: z.number(),
  trainedOn: z.number(),
  createdAt: z.string().optional(),
  metrics: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ModelInfo = z.infer<typeof ModelSchema>;

const RetrainSchema = z.object({ jobId: z.number() });
const JobSchema = z.object({
  status: z.string(),
  reason: z.string().optional(),
  createdAt: z.string().nullable().optional(),
  startedAt: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  modelVersion: z.number().nullable().optional(),
});
export type JobInfo = z.infer<typeof JobSchema>;

const FinalRowSchema = z.object({ sampleId: z.number(), uri: z.string() });

export class SystemApi {
  constructor(
    readonly baseUrl: string,
    readonly project: string,
    private readonly adminToken: string,
  ) {}

  private projectPath(rest: string): string {
    return `${this.baseUrl}/api/projects/${encodeURIComponent(this.project)}${rest}`;
  }

  private async json<T>(url: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (!res.ok)
      throw new Error(
        `${init?.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 300)}`,
      );
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(`${url} answered an unexpected shape: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  }

  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  models(): Promise<ModelInfo[]> {
    return this.json(this.projectPath('/models'), z.array(ModelSchema));
  }

  async retrain(): Promise<number> {
    const { jobId } = await this.json(this.projectPath('/retrain'), RetrainSchema, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.adminToken}` },
    });
    return jobId;
  }

  /** PUT the project's acquisition settings (the server fills what is left out with defaults). */
  async putSettings(settings: Record<string, unknown>): Promise<void> {
    await this.json(this.projectPath('/settings'), z.object({ settings: z.unknown() }), {
      method: 'PUT',
      headers: { Authorization: `Bearer ${this.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(settings),
    });
  }

  /** The admin page's job route; undefined when this server has none (not in the contract). */
  async job(jobId: number): Promise<JobInfo | undefined> {
    const res = await fetch(this.projectPath(`/retrain/${jobId}`), {
      headers: { Authorization: `Bearer ${this.adminToken}` },
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status === 404 && !text.includes('retrain job')) return undefined;
    // Admin routes are rate limited per client; a refused poll only means "ask again later".
    if (res.status === 429) return { status: 'unknown (poll rate limited)' };
    if (!res.ok)
      throw new Error(`GET retrain job ${jobId} answered ${res.status}: ${text.slice(0, 300)}`);
    return JobSchema.parse(JSON.parse(text));
  }

  /**
   * `labels?format=jsonl&view=final`: one row per image with its sampleId and uri. Returns the
   * rows that have both, and how many lines came back in all.
   */
  async finalView(): Promise<{ rows: z.infer<typeof FinalRowSchema>[]; lines: number }> {
    const res = await fetch(this.projectPath('/labels?format=jsonl&view=final'), {
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(`GET labels?view=final answered ${res.status}: ${text.slice(0, 300)}`);
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const rows = lines.flatMap((line) => {
      const parsed = FinalRowSchema.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    });
    return { rows, lines: lines.length };
  }

  /** Fetches an image the way a labeller's browser does; returns its ETag header. */
  async imageEtag(imageUrl: string, size: number): Promise<string | null> {
    const url = new URL(imageUrl, this.baseUrl);
    url.searchParams.set('size', String(size));
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${url.pathname} answered ${res.status}`);
    return res.headers.get('etag');
  }
}
