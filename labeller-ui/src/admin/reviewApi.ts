/** The review queue's HTTP calls (admin token on each). */
import {
  ReviewListSchema,
  ReviewRecordedSchema,
  type ReviewCandidate,
  type ReviewRecorded,
} from '@al/contract';
import { fetchJson, projectPath } from '../api/http';

export function loadReviewCandidates(
  project: string,
  token: string,
  limit: number,
): Promise<ReviewCandidate[]> {
  return fetchJson(`${projectPath(project)}/review?limit=${limit}`, ReviewListSchema, { token });
}

/** Appends a decision (confirm: the label the image has; correct: another). */
export function postReview(
  project: string,
  token: string,
  sampleId: number,
  label: string | string[],
  reviewer: string | undefined,
): Promise<ReviewRecorded> {
  return fetchJson(`${projectPath(project)}/review/${sampleId}`, ReviewRecordedSchema, {
    token,
    method: 'POST',
    body: JSON.stringify({ label, reviewer }),
  });
}

/**
 * The image as a data: URL: fetched with the admin token in the header, since an <img> cannot
 * send one and the admin token must not travel in a URL. A data: URL rather than a blob: one,
 * which the page's Content-Security-Policy (img-src 'self' data:) would block.
 */
export async function loadImageUrl(url: string, token: string, signal: AbortSignal) {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal });
  if (!res.ok) throw new Error(`image: ${res.status} ${res.statusText}`);
  const blob = await res.blob();
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      if (typeof reader.result === 'string') resolve(reader.result);
      else reject(new Error('image: not read as a data URL'));
    };
    reader.onerror = () => {
      reject(reader.error ?? new Error('image: unreadable'));
    };
    reader.readAsDataURL(blob);
  });
}
