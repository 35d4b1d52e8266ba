/** Admin HTTP calls for gold checks; every one carries the admin token. */
import {
  GoldListSchema,
  GoldShareSchema,
  GoldUploadResultSchema,
  type GoldList,
  type GoldShare,
  type GoldUploadResult,
} from '@al/contract';
import { fetchJson, projectPath } from '../api/http';

export function loadGold(project: string, token: string): Promise<GoldList> {
  return fetchJson(`${projectPath(project)}/gold`, GoldListSchema, { token });
}

/** Uploads a CSV with `uri,label` columns as it is; the server checks every line first. */
export function uploadGoldCsv(
  project: string,
  token: string,
  csv: string,
): Promise<GoldUploadResult> {
  return fetchJson(`${projectPath(project)}/gold`, GoldUploadResultSchema, {
    token,
    method: 'POST',
    headers: { 'Content-Type': 'text/csv' },
    body: csv,
  });
}

export function saveGoldShare(project: string, token: string, share: number): Promise<GoldShare> {
  return fetchJson(`${projectPath(project)}/gold/share`, GoldShareSchema, {
    token,
    method: 'PUT',
    body: JSON.stringify({ share }),
  });
}

/** Makes reviewed images gold: each one's review in force becomes its gold answer. */
export function promoteToGold(
  project: string,
  token: string,
  sampleIds: number[],
): Promise<GoldUploadResult> {
  return fetchJson(`${projectPath(project)}/gold`, GoldUploadResultSchema, {
    token,
    method: 'POST',
    body: JSON.stringify({ items: sampleIds.map((sampleId) => ({ sampleId })) }),
  });
}
