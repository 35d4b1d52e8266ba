/** Admin-side HTTP calls; every one carries the admin token. */
import * as z from 'zod/mini';
import {
  fetchJson,
  ModelListSchema,
  projectPath,
  RetrainAnswerSchema,
  RetrainJobSchema,
  StatsSchema,
  type Model,
  type RetrainJob,
  type Stats,
} from '../api/http';

/**
 * The settings the form edits; other keys the server sends are kept as they are and sent
 * back unchanged (the server's schema is the orchestrator's and is the one that validates).
 */
export const SettingsSchema = z.looseObject({
  function: z.string(),
  diversity: z.boolean(),
  min_distance: z.number(),
  shuffle_prop: z.number(),
  retrain_every_labels: z.number(),
});
export type Settings = z.infer<typeof SettingsSchema>;

const SettingsAnswerSchema = z.object({
  settings: SettingsSchema,
  problem: z.nullable(z.string()),
  choices: z.object({ function: z.array(z.string()) }),
});
export type SettingsAnswer = z.infer<typeof SettingsAnswerSchema>;

export function loadSettings(project: string, token: string): Promise<SettingsAnswer> {
  return fetchJson(`${projectPath(project)}/settings`, SettingsAnswerSchema, { token });
}

export function saveSettings(project: string, token: string, settings: Settings) {
  return fetchJson(`${projectPath(project)}/settings`, SettingsAnswerSchema, {
    token,
    method: 'PUT',
    body: JSON.stringify(settings),
  });
}

export function loadStats(project: string, token: string): Promise<Stats> {
  return fetchJson(`${projectPath(project)}/stats`, StatsSchema, { token });
}

export function loadModels(project: string, token: string): Promise<Model[]> {
  return fetchJson(`${projectPath(project)}/models`, ModelListSchema, { token });
}

export function requestRetrain(project: string, token: string): Promise<{ jobId: number }> {
  return fetchJson(`${projectPath(project)}/retrain`, RetrainAnswerSchema, {
    token,
    method: 'POST',
  });
}

export function loadRetrainJob(project: string, token: string, jobId: number): Promise<RetrainJob> {
  return fetchJson(`${projectPath(project)}/retrain/${jobId}`, RetrainJobSchema, { token });
}

/** Fetches the export with the token (a plain link could not send it) and saves it. */
export async function downloadLabels(project: string, token: string, format: 'csv' | 'jsonl') {
  const res = await fetch(`${projectPath(project)}/labels?format=${format}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`export failed: ${res.status} ${res.statusText}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${project}-labels.${format}`;
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}
