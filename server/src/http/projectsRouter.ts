import { Router, type Response } from 'express';
import { z } from 'zod';
import type { ExportedLabelRow } from '@al/db';
import {
  LABEL_EXPORT_FORMATS,
  type ModelList,
  type ProjectList,
  type ProjectStats,
} from '@al/contract';
import type { ProjectQueries } from '../services/projectQueries';
import { errorBody, type JsonResponse } from './errors';
import { CSV_HEADER, csvLine, jsonlLine } from './labelExportFormats';
import { projectParam } from './projectParams';

const ExportQuerySchema = z.object({ format: z.enum(LABEL_EXPORT_FORMATS).default('csv') });

/** Writes rows with back-pressure: waits for 'drain' when the socket buffer is full. */
async function streamRows(
  res: Response,
  rows: AsyncIterable<ExportedLabelRow>,
  line: (row: ExportedLabelRow) => string,
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

/** What labellers (and the admin page) read: projects, stats, model history, label export. */
export function projectsRouter(queries: ProjectQueries): Router {
  const router = Router();

  router.get('/projects', async (_req, res: JsonResponse<ProjectList>) => {
    res.json(await queries.list());
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
      res.status(400).json(errorBody('BAD_REQUEST', 'format must be csv or jsonl'));
      return;
    }
    const project = projectParam(req);
    const rows = await queries.labelExport(project);
    const { format } = query.data;
    const filename = `${project.replace(/[^\w.-]/g, '_')}-labels.${format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.write(CSV_HEADER);
      await streamRows(res, rows, csvLine);
    } else {
      res.type('application/x-ndjson; charset=utf-8');
      await streamRows(res, rows, jsonlLine);
    }
  });

  return router;
}
