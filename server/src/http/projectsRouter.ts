import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  LABEL_EXPORT_FORMATS,
  LABEL_EXPORT_VIEWS,
  type LabelExportFormat,
  type ModelList,
  type ProjectList,
  type ProjectStats,
} from '@al/contract';
import type { ProjectQueries } from '../services/projectQueries';
import { errorBody, type JsonResponse } from './errors';
import {
  CSV_HEADER,
  FINAL_CSV_HEADER,
  csvLine,
  finalCsvLine,
  finalJsonlLine,
  jsonlLine,
} from '../services/labelExportFormats';
import { projectParam } from './projectParams';

const ExportQuerySchema = z.object({
  format: z.enum(LABEL_EXPORT_FORMATS, { error: 'format must be csv or jsonl' }).default('csv'),
  view: z.enum(LABEL_EXPORT_VIEWS, { error: 'view must be raw or final' }).default('raw'),
});

/** Writes rows with back-pressure: waits for 'drain' when the socket buffer is full. */
async function streamRows<Row>(
  res: Response,
  rows: AsyncIterable<Row>,
  line: (row: Row) => string,
): Promise<void> {
  for await (const row of rows) {
    if (res.destroyed) return;
    if (!res.write(line(row))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

function setExportHeaders(res: Response, format: LabelExportFormat, filename: string): void {
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
}

/** What labellers (and the admin page) read: projects, stats, model history, label export. */
export function projectsRouter(queries: ProjectQueries): Router {
  const router = Router();

  // ?archived=true lists the projects an admin archived instead of the active ones.
  router.get('/projects', async (req, res: JsonResponse<ProjectList>) => {
    res.json(await queries.list(req.query.archived === 'true'));
  });

  router.get('/projects/:project/stats', async (req, res: JsonResponse<ProjectStats>) => {
    res.json(await queries.stats(projectParam(req)));
  });

  router.get('/projects/:project/models', async (req, res: JsonResponse<ModelList>) => {
    res.json(await queries.models(projectParam(req)));
  });

  router.get('/projects/:project/labels', async (req, res) => {
    const query = ExportQuerySchema.safeParse(req.query);
    if (!query.success) {
      const message = query.error.issues.map((issue) => issue.message).join('; ');
      res.status(400).json(errorBody('BAD_REQUEST', message));
      return;
    }
    const project = projectParam(req);
    const { format, view } = query.data;
    const suffix = view === 'final' ? 'final-labels' : 'labels';
    const filename = `${project.replace(/[^\w.-]/g, '_')}-${suffix}.${format}`;
    if (view === 'final') {
      const rows = await queries.finalLabelExport(project);
      setExportHeaders(res, format, filename);
      if (format === 'csv') res.write(FINAL_CSV_HEADER);
      await streamRows(res, rows, format === 'csv' ? finalCsvLine : finalJsonlLine);
      return;
    }
    const rows = await queries.labelExport(project);
    setExportHeaders(res, format, filename);
    if (format === 'csv') res.write(CSV_HEADER);
    await streamRows(res, rows, format === 'csv' ? csvLine : jsonlLine);
  });

  return router;
}
