import type { Knex } from 'knex';
import {
  countLabelsByLabeller,
  countLabelsPerHour,
  getProjectByName,
  getProjectProgress,
  listLabelsPage,
  listProjectModels,
  listProjects,
  pingDatabase,
  requestRetrain,
  type DbProjectRow,
  type ExportedLabelRow,
} from '@al/db';

export class ProjectNotFoundError extends Error {
  override name = 'ProjectNotFoundError';
}

const EXPORT_PAGE_ROWS = 2_000;
const STATS_HOURS = 24;

/** Read models and admin actions behind the HTTP routes. */
export class ProjectQueries {
  constructor(private readonly knex: Knex) {}

  async ping(): Promise<void> {
    await pingDatabase({ tx: this.knex });
  }

  private async project(name: string): Promise<DbProjectRow> {
    const project = await getProjectByName({ tx: this.knex, name });
    if (!project) throw new ProjectNotFoundError(`no project named "${name}"`);
    return project;
  }

  async list() {
    const projects = await listProjects({ tx: this.knex });
    return projects.map((p) => ({
      name: p.name,
      options: p.options,
      multiLabel: p.multi_label,
      labelsPerSample: p.labels_per_sample,
      createdAt: p.created_at,
    }));
  }

  async stats(name: string) {
    const project = await this.project(name);
    const [progress, labellers, perHour] = await Promise.all([
      getProjectProgress({ tx: this.knex, projectId: project.id }),
      countLabelsByLabeller({ tx: this.knex, projectId: project.id }),
      countLabelsPerHour({ tx: this.knex, projectId: project.id, hours: STATS_HOURS }),
    ]);
    return {
      project: project.name,
      total: progress.total,
      labelled: progress.done,
      labels: progress.labels,
      wanted: progress.wanted,
      inLease: progress.leased,
      labellers: labellers.map((l) => ({
        name: l.labeller,
        labels: l.labels,
        conflicts: l.conflicts,
        skips: l.skips,
        lastAt: l.last_at,
      })),
      labelsPerHour: perHour.map((h) => ({ hour: h.hour, labels: h.labels })),
    };
  }

  async models(name: string) {
    const project = await this.project(name);
    const models = await listProjectModels({ tx: this.knex, projectId: project.id });
    return models.map((m) => ({
      version: m.version,
      createdAt: m.created_at,
      trainedOn: m.trained_on,
      backend: m.backend,
      metrics: m.metrics,
    }));
  }

  /** Resolves the project first, so an unknown one fails before any byte is streamed. */
  async labelExport(name: string): Promise<AsyncIterable<ExportedLabelRow>> {
    const project = await this.project(name);
    const knex = this.knex;
    return (async function* pages() {
      let afterId = 0;
      for (;;) {
        const rows = await listLabelsPage({
          tx: knex,
          projectId: project.id,
          afterId,
          limit: EXPORT_PAGE_ROWS,
        });
        yield* rows;
        const last = rows.at(-1);
        if (!last || rows.length < EXPORT_PAGE_ROWS) return;
        afterId = last.id;
      }
    })();
  }

  async requestRetrain(name: string, requestedBy: string): Promise<{ jobId: number }> {
    const project = await this.project(name);
    return requestRetrain({ tx: this.knex, projectId: project.id, reason: 'admin', requestedBy });
  }
}
