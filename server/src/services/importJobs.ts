/**
 * Imports started from the admin page: a new project from a folder or an S3 prefix, or a
 * re-scan of a project's sources (the datapool rule: only images not imported yet cost a read).
 * They run in this server process with the CLI's importer, one at a time per project, and are
 * followed live through `GET /api/imports/:id`. Progress lives here, in memory: what an import
 * inserted is committed chunk by chunk, so a restart loses only the progress view, and a re-scan
 * picks up where it stopped.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { getProjectByName } from '@al/db';
import type { CreateProjectRequest, ImportJob } from '@al/contract';
import { createDatasource, isS3Uri, S3DatasourceError, type Logger } from '@al/media';
import type { ProjectSpec } from '../importer/ensureProject';
import { importFromDatasource, type ImportProgress } from '../importer/importFolder';
import { requireProject } from './projectLookup';

/** The request cannot be started as given (answered 400 with the message). */
export class ImportRequestError extends Error {
  override name = 'ImportRequestError';
}

/** The project exists, or an import into it is running (answered 409). */
export class ImportConflictError extends Error {
  override name = 'ImportConflictError';
}

/** Finished jobs kept for the page to read; the oldest are forgotten first. */
const KEPT_JOBS = 200;
/** Unreadable files named per job; the count covers all of them. */
const KEPT_FAILURES = 20;

/** A source the server can list: s3://bucket/prefix, or an absolute path to a folder. */
async function checkedSource(source: string, forcePathStyle: boolean): Promise<string> {
  if (isS3Uri(source)) {
    try {
      createDatasource(source, { forcePathStyle });
    } catch (err) {
      if (err instanceof S3DatasourceError) throw new ImportRequestError(err.message);
      throw err;
    }
    return source;
  }
  if (!path.isAbsolute(source)) {
    throw new ImportRequestError(`source must be an absolute folder path or s3://…: ${source}`);
  }
  const info = await stat(source).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ImportRequestError(
      `${info ? 'not a folder' : 'no such folder on the server'}: ${source}`,
    );
  }
  return path.resolve(source);
}

export class ImportJobs {
  private readonly jobs = new Map<number, ImportJob>();
  private readonly running = new Map<string, { id: number; abort: AbortController }>();
  private readonly finishing = new Set<Promise<void>>();
  private nextId = 1;

  constructor(
    private readonly knex: Knex,
    private readonly log: Logger,
    private readonly s3: { forcePathStyle: boolean },
  ) {}

  /** Starts importing a new project's images; the project row appears with its first image. */
  async create(request: CreateProjectRequest): Promise<number> {
    if (!request.multiLabel && request.labels.length < 2) {
      throw new ImportRequestError('a single-label project needs at least two labels');
    }
    if (new Set(request.labels).size !== request.labels.length) {
      throw new ImportRequestError('labels must be distinct');
    }
    const source = await checkedSource(request.source, this.s3.forcePathStyle);
    if (await getProjectByName({ tx: this.knex, name: request.name })) {
      throw new ImportConflictError(
        `a project named "${request.name}" exists: re-scan it, or choose another name`,
      );
    }
    const spec: ProjectSpec = {
      name: request.name,
      options: request.labels,
      multiLabel: request.multiLabel ?? false,
      labelsPerSample: request.labelsPerSample,
    };
    return this.start(spec, [source]);
  }

  /** Imports what is new under every source of the project. */
  async rescan(name: string): Promise<number> {
    const project = await requireProject(this.knex, name);
    const spec: ProjectSpec = { name: project.name, options: project.options };
    return this.start(spec, project.source_roots);
  }

  get(id: number): ImportJob | undefined {
    return this.jobs.get(id);
  }

  /** Stops running imports (what they inserted stays) and waits for them to end. */
  async close(): Promise<void> {
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.all([...this.finishing]);
  }

  private start(spec: ProjectSpec, sources: string[]): number {
    const busy = this.running.get(spec.name);
    if (busy) {
      throw new ImportConflictError(`import ${busy.id} into "${spec.name}" is still running`);
    }
    const id = this.nextId++;
    const job: ImportJob = {
      id,
      project: spec.name,
      sources,
      status: 'running',
      total: 0,
      processed: 0,
      imported: 0,
      alreadyImported: 0,
      failed: 0,
      failures: [],
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.remember(job);
    const abort = new AbortController();
    this.running.set(spec.name, { id, abort });
    const done = this.run(job, spec, abort.signal).finally(() => {
      this.running.delete(spec.name);
      this.finishing.delete(done);
    });
    this.finishing.add(done);
    return id;
  }

  private async run(job: ImportJob, spec: ProjectSpec, signal: AbortSignal): Promise<void> {
    const log = this.log.child({ importId: job.id, project: spec.name });
    // Counts of the sources already done; a source's own progress is added on top.
    const before = { total: 0, processed: 0, imported: 0, alreadyImported: 0, failed: 0 };
    const show = (p: Pick<ImportProgress, keyof typeof before>) => {
      for (const key of Object.keys(before) as (keyof typeof before)[]) {
        job[key] = before[key] + p[key];
      }
    };
    try {
      for (const source of job.sources) {
        const summary = await importFromDatasource({
          knex: this.knex,
          project: spec,
          datasource: createDatasource(source, { forcePathStyle: this.s3.forcePathStyle }),
          logger: log,
          signal,
          onProgress: show,
        });
        show({
          total: summary.found,
          processed: summary.found,
          imported: summary.imported,
          alreadyImported: summary.alreadyImported,
          failed: summary.failed.length,
        });
        Object.assign(before, {
          total: job.total,
          processed: job.processed,
          imported: job.imported,
          alreadyImported: job.alreadyImported,
          failed: job.failed,
        });
        const room = KEPT_FAILURES - job.failures.length;
        for (const f of summary.failed.slice(0, Math.max(0, room))) {
          job.failures.push({ path: f.relativePath, reason: f.reason });
        }
      }
      job.status = 'done';
      log.info({ imported: job.imported, failed: job.failed }, 'admin import finished');
    } catch (err) {
      job.status = 'failed';
      job.error = err instanceof Error ? err.message : String(err);
      log.warn({ err }, 'admin import failed');
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  }

  private remember(job: ImportJob): void {
    this.jobs.set(job.id, job);
    for (const [id, old] of this.jobs) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (old.status !== 'running') this.jobs.delete(id);
    }
  }
}
