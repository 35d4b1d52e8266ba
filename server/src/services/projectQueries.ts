import type { Knex } from 'knex';
import {
  countLabelsByLabeller,
  countLabelsPerHour,
  getProjectProgress,
  getRetrainJob,
  listLabelsPage,
  listProjectModels,
  insertLabellerExclusion,
  listExcludedLabellers,
  listProjects,
  setProjectArchived,
  pingDatabase,
  requestRetrain,
  type ExportedLabelRow,
} from '@al/db';
import {
  type AgreementReport,
  type ReviewCandidate,
  type ReviewDecision,
  type ReviewEntry,
  type ReviewRecorded,
  parseModelMetrics,
  type FinalLabelRow,
  type ModelList,
  type ProjectList,
  type ProjectStats,
  type RetrainAccepted,
  type RetrainJob,
} from '@al/contract';
import { agreementReport } from './finalLabels/agreementReport';
import { reviewCandidates } from './finalLabels/reviewQueue';
import { recordReview, reviewHistory, type ReviewOutcome } from './finalLabels/reviewDecisions';
import { finalLabelRows } from './finalLabels/finalLabelRows';
import { keysetPages } from './keysetPages';
import { requireProject } from './projectLookup';

const EXPORT_PAGE_ROWS = 2_000;
const STATS_HOURS = 24;

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());

/** Read models and admin actions behind the HTTP routes, answering in the contract's shapes. */
export class ProjectQueries {
  constructor(private readonly knex: Knex) {}

  async ping(): Promise<void> {
    await pingDatabase({ tx: this.knex });
  }

  /** Active projects, or with `archived` the archived ones. */
  async list(archived = false): Promise<ProjectList> {
    const projects = await listProjects({ tx: this.knex, archived });
    return projects.map((p) => ({
      name: p.name,
      options: p.options,
      multiLabel: p.multi_label,
      labelsPerSample: p.labels_per_sample,
      createdAt: iso(p.created_at),
    }));
  }

  /**
   * Leaves a labeller's answers out of (or back in) training and final labels, as a new row of
   * the exclusion history, and asks for a retrain so the model follows.
   */
  async setExcluded(name: string, labeller: string, excluded: boolean): Promise<void> {
    const project = await requireProject(this.knex, name);
    await insertLabellerExclusion({ tx: this.knex, projectId: project.id, labeller, excluded });
    await requestRetrain({
      tx: this.knex,
      projectId: project.id,
      reason: 'admin',
      requestedBy: 'admin',
    });
  }

  async setArchived(name: string, archived: boolean): Promise<void> {
    const project = await requireProject(this.knex, name);
    await setProjectArchived({ tx: this.knex, projectId: project.id, archived });
  }

  async stats(name: string): Promise<ProjectStats> {
    const project = await requireProject(this.knex, name);
    const [progress, labellers, perHour, excluded] = await Promise.all([
      getProjectProgress({ tx: this.knex, projectId: project.id }),
      countLabelsByLabeller({ tx: this.knex, projectId: project.id }),
      countLabelsPerHour({ tx: this.knex, projectId: project.id, hours: STATS_HOURS }),
      listExcludedLabellers({ tx: this.knex, projectId: project.id }),
    ]);
    const left = new Set(excluded);
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
        medianMs: l.median_ms,
        excluded: left.has(l.labeller),
        goldAnswered: l.gold_answered,
        goldCorrect: l.gold_correct,
        lastAt: iso(l.last_at),
      })),
      labelsPerHour: perHour.map((h) => ({ hour: iso(h.hour), labels: h.labels })),
    };
  }

  /**
   * Every model, newest first. Metrics are the orchestrator's jsonb, checked against the
   * contract here; `accuracy` is null for a model that was never evaluated.
   */
  async models(name: string): Promise<ModelList> {
    const project = await requireProject(this.knex, name);
    const models = await listProjectModels({ tx: this.knex, projectId: project.id });
    return models.map((m) => ({
      version: m.version,
      createdAt: iso(m.created_at),
      trainedOn: m.trained_on,
      backend: m.backend,
      metrics: parseModelMetrics(m.metrics),
    }));
  }

  /** Resolves the project first, so an unknown one fails before any byte is streamed. */
  async labelExport(name: string): Promise<AsyncIterable<ExportedLabelRow>> {
    const project = await requireProject(this.knex, name);
    const pages = keysetPages(
      (afterId, limit) => listLabelsPage({ tx: this.knex, projectId: project.id, afterId, limit }),
      EXPORT_PAGE_ROWS,
    );
    return (async function* rows() {
      for await (const page of pages) yield* page;
    })();
  }

  /** One row per image (`view=final`); the project is resolved before any byte is streamed. */
  async finalLabelExport(name: string): Promise<AsyncIterable<FinalLabelRow>> {
    const project = await requireProject(this.knex, name);
    return finalLabelRows(this.knex, project);
  }

  async review(name: string, limit: number): Promise<ReviewCandidate[]> {
    return reviewCandidates(this.knex, await requireProject(this.knex, name), limit);
  }

  /** Appends a reviewer's confirmation or correction of an image's final label. */
  async decideReview(
    name: string,
    sampleId: number,
    decision: ReviewDecision,
  ): Promise<ReviewOutcome<ReviewRecorded>> {
    return recordReview(this.knex, await requireProject(this.knex, name), sampleId, decision);
  }

  async reviewHistory(name: string, sampleId: number): Promise<ReviewOutcome<ReviewEntry[]>> {
    return reviewHistory(this.knex, await requireProject(this.knex, name), sampleId);
  }

  async agreement(name: string): Promise<AgreementReport> {
    return agreementReport(this.knex, await requireProject(this.knex, name));
  }

  async requestRetrain(name: string, requestedBy: string): Promise<RetrainAccepted> {
    const project = await requireProject(this.knex, name);
    return requestRetrain({ tx: this.knex, projectId: project.id, reason: 'admin', requestedBy });
  }

  /** A retrain job of the project; undefined for an unknown job or another project's. */
  async retrainJob(name: string, jobId: number): Promise<RetrainJob | undefined> {
    const project = await requireProject(this.knex, name);
    const job = await getRetrainJob({ tx: this.knex, projectId: project.id, jobId });
    return (
      job && {
        jobId: job.id,
        status: job.status,
        reason: job.reason,
        error: job.error,
        createdAt: iso(job.created_at),
        startedAt: isoOrNull(job.started_at),
        finishedAt: isoOrNull(job.finished_at),
        modelVersion: job.model_version,
      }
    );
  }
}
