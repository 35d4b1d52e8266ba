import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { createProject, type NewProject } from '../operations/projects/createProject';
import { insertSamples } from '../operations/samples/insertSamples';

/** A project with `count` fake samples (no files behind them): for queue tests and benchmarks. */
export async function seedQueueProject(
  knex: Knex,
  opts: { count: number; project?: Partial<NewProject>; priorities?: (i: number) => number },
): Promise<{ projectId: number; options: string[] }> {
  const options = opts.project?.options ?? ['cat', 'dog', 'bird'];
  const project = await createProject({
    tx: knex,
    project: {
      name: `p_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`,
      ...opts.project,
      options,
    },
  });
  const chunk = 1000;
  for (let start = 0; start < opts.count; start += chunk) {
    const samples = Array.from({ length: Math.min(chunk, opts.count - start) }, (_, k) => {
      const i = start + k;
      return {
        sourceUri: `/fake/${project.id}/${i}.png`,
        contentHash: createHash('sha256').update(`${project.id}:${i}`).digest('hex'),
        width: 28,
        height: 28,
        byteSize: 100,
        priority: opts.priorities ? opts.priorities(i) : 0,
      };
    });
    await insertSamples({ tx: knex, projectId: project.id, samples });
  }
  return { projectId: project.id, options };
}
