/** Admin-side HTTP calls; every one carries the admin token. */
import {
  AcquisitionSettingsAnswerSchema,
  AgreementReportSchema,
  type AgreementReport,
  ArchiveStateSchema,
  ExclusionStateSchema,
  ImportAcceptedSchema,
  ImportJobSchema,
  type CreateProjectRequest,
  type ImportAccepted,
  type ImportJob,
  ModelListSchema,
  ProjectStatsSchema,
  RetrainAcceptedSchema,
  RetrainJobSchema,
  type AcquisitionSettings,
  type AcquisitionSettingsAnswer,
  type LabelExportFormat,
  type ModelList,
  type ProjectStats,
  type RetrainAccepted,
  type RetrainJob,
} from '@al/contract';
import { fetchJson, projectPath } from '../api/http';

export function loadSettings(project: string, token: string): Promise<AcquisitionSettingsAnswer> {
  return fetchJson(`${projectPath(project)}/settings`, AcquisitionSettingsAnswerSchema, { token });
}

export function saveSettings(
  project: string,
  token: string,
  settings: AcquisitionSettings,
): Promise<AcquisitionSettingsAnswer> {
  return fetchJson(`${projectPath(project)}/settings`, AcquisitionSettingsAnswerSchema, {
    token,
    method: 'PUT',
    body: JSON.stringify(settings),
  });
}

export function loadStats(project: string, token: string): Promise<ProjectStats> {
  return fetchJson(`${projectPath(project)}/stats`, ProjectStatsSchema, { token });
}

export function loadModels(project: string, token: string): Promise<ModelList> {
  return fetchJson(`${projectPath(project)}/models`, ModelListSchema, { token });
}

export function requestRetrain(project: string, token: string): Promise<RetrainAccepted> {
  return fetchJson(`${projectPath(project)}/retrain`, RetrainAcceptedSchema, {
    token,
    method: 'POST',
  });
}

export function loadRetrainJob(project: string, token: string, jobId: number): Promise<RetrainJob> {
  return fetchJson(`${projectPath(project)}/retrain/${jobId}`, RetrainJobSchema, { token });
}

/** Fetches the export with the token (a plain link could not send it) and saves it. */
export async function downloadLabels(project: string, token: string, format: LabelExportFormat) {
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

export function createProject(
  token: string,
  request: CreateProjectRequest,
): Promise<ImportAccepted> {
  return fetchJson('/api/projects', ImportAcceptedSchema, {
    token,
    method: 'POST',
    body: JSON.stringify(request),
  });
}

export function rescanProject(project: string, token: string): Promise<ImportAccepted> {
  return fetchJson(`${projectPath(project)}/rescan`, ImportAcceptedSchema, {
    token,
    method: 'POST',
  });
}

export function loadImport(token: string, importId: number): Promise<ImportJob> {
  return fetchJson(`/api/imports/${importId}`, ImportJobSchema, { token });
}

export function archiveProject(project: string, token: string, archived: boolean) {
  return fetchJson(`${projectPath(project)}/archive`, ArchiveStateSchema, {
    token,
    method: 'POST',
    body: JSON.stringify({ archived }),
  });
}

export function loadAgreement(project: string, token: string): Promise<AgreementReport> {
  return fetchJson(`${projectPath(project)}/agreement`, AgreementReportSchema, { token });
}

export function setLabellerExcluded(
  project: string,
  token: string,
  labeller: string,
  excluded: boolean,
) {
  const path = `${projectPath(project)}/labellers/${encodeURIComponent(labeller)}/exclusion`;
  return fetchJson(path, ExclusionStateSchema, {
    token,
    method: 'POST',
    body: JSON.stringify({ excluded }),
  });
}
