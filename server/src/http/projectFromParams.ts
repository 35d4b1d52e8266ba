import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { getProjectByName, type DbProjectRow } from '@al/db';
import { errorBody } from './errors';

const ParamsSchema = z.object({ project: z.string().min(1).max(100) });

/**
 * The project named by `:project`, or undefined after answering 404 (a malformed name is as
 * unknown as a missing one).
 */
export async function projectFromParams(
  knex: Knex,
  req: Request,
  res: Response,
): Promise<DbProjectRow | undefined> {
  const params = ParamsSchema.safeParse(req.params);
  const project = params.success
    ? await getProjectByName({ tx: knex, name: params.data.project })
    : undefined;
  if (!project) res.status(404).json(errorBody('NOT_FOUND', 'no such project'));
  return project;
}
