import type { Request } from 'express';
import { z } from 'zod';
import { ProjectNotFoundError } from '../services/projectLookup';

const ProjectParamsSchema = z.object({ project: z.string().min(1).max(100) });

/** The `:project` of a route; a malformed name is as unknown as a missing one (404). */
export function projectParam(req: Request): string {
  const params = ProjectParamsSchema.safeParse(req.params);
  if (!params.success) throw new ProjectNotFoundError('no such project');
  return params.data.project;
}
