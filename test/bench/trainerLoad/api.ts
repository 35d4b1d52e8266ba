/** The HTTP side of the public contract the bench uses, parsed with the contract's schemas. */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ModelListSchema,
  RetrainAcceptedSchema,
  RetrainJobSchema,
  type ModelList,
  type RetrainJob,
} from '@al/contract';

interface Parser<T> {
  parse: (data: unknown) => T;
}

export class AdminApi {
  constructor(
    readonly baseUrl: string,
    private readonly adminToken: string,
  ) {}

  private async json<T>(path: string, schema: Parser<T>, init: RequestInit = {}): Promise<T> {
    // Admin routes are rate limited per address: a 429 only means "ask again a little later".
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${this.adminToken}` },
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status === 429 && attempt < 30) {
        await sleep(1_000);
        continue;
      }
      if (!res.ok) {
        throw new Error(
          `${init.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 300)}`,
        );
      }
      return schema.parse(JSON.parse(text));
    }
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

  /** Newest first. */
  models(project: string): Promise<ModelList> {
    return this.json(`/api/projects/${project}/models`, ModelListSchema);
  }

  async retrain(project: string): Promise<number> {
    const accepted = await this.json(`/api/projects/${project}/retrain`, RetrainAcceptedSchema, {
      method: 'POST',
    });
    return accepted.jobId;
  }

  job(project: string, jobId: number): Promise<RetrainJob> {
    return this.json(`/api/projects/${project}/retrain/${jobId}`, RetrainJobSchema);
  }

  /** Polls a retrain job until it is done or failed (or `deadline`, performance.now() ms). */
  async waitForJob(project: string, jobId: number, deadline: number): Promise<RetrainJob> {
    for (;;) {
      const job = await this.job(project, jobId);
      if (job.status === 'done' || job.status === 'failed') return job;
      if (performance.now() > deadline) {
        throw new Error(`retrain job ${jobId} of ${project} still ${job.status} at its deadline`);
      }
      await sleep(1_000);
    }
  }
}
