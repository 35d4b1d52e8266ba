import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReviewCandidate, ReviewRecorded } from '@al/contract';
import { loadReviewCandidates, postReview } from './reviewApi';

/** Candidates fetched at a time; the list is fetched again when they are used up. */
const BATCH = 50;

export interface Decision {
  candidate: ReviewCandidate;
  record: ReviewRecorded;
}

export interface ReviewState {
  status: 'loading' | 'ready' | 'done' | 'error';
  current: ReviewCandidate | undefined;
  /** The image shown is the last one decided, brought back to decide again. */
  revisiting: boolean;
  last: Decision | undefined;
  posting: boolean;
  error: string | undefined;
  decided: number;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * One candidate at a time from the review list, most likely wrong first. Decided images leave
 * the list on the server; skipped ones are kept out for this visit only (Check again brings them
 * back). A decision cannot be undone, only followed by another: `revisit` shows the last decided
 * image again, and the next decision on it is a new row in its history.
 */
export function useReviewQueue(project: string, token: string, reviewer: string | undefined) {
  const queue = useRef<ReviewCandidate[]>([]);
  const passed = useRef(new Set<number>());
  /** The candidate a revisit displaced, shown again after it. */
  const held = useRef<ReviewCandidate>(undefined);
  const [state, setState] = useState<ReviewState>({
    status: 'loading',
    current: undefined,
    revisiting: false,
    last: undefined,
    posting: false,
    error: undefined,
    decided: 0,
  });

  const advance = useCallback(async () => {
    const back = held.current;
    held.current = undefined;
    if (back) {
      setState((s) => ({ ...s, status: 'ready', current: back, revisiting: false }));
      return;
    }
    if (queue.current.length === 0) {
      try {
        const list = await loadReviewCandidates(project, token, BATCH);
        queue.current = list.filter((c) => !passed.current.has(c.sampleId));
      } catch (err) {
        setState((s) => ({ ...s, status: 'error', current: undefined, error: message(err) }));
        return;
      }
    }
    const current = queue.current.shift();
    setState((s) => ({
      ...s,
      status: current ? 'ready' : 'done',
      current,
      revisiting: false,
      error: undefined,
    }));
  }, [project, token]);

  useEffect(() => {
    void advance();
  }, [advance]);

  const decide = useCallback(
    async (candidate: ReviewCandidate, label: string | string[]) => {
      setState((s) => ({ ...s, posting: true, error: undefined }));
      try {
        const record = await postReview(project, token, candidate.sampleId, label, reviewer);
        passed.current.add(candidate.sampleId);
        setState((s) => ({
          ...s,
          posting: false,
          last: { candidate, record },
          decided: s.decided + 1,
        }));
        await advance();
      } catch (err) {
        setState((s) => ({ ...s, posting: false, error: message(err) }));
      }
    },
    [project, token, reviewer, advance],
  );

  const skip = useCallback(
    (candidate: ReviewCandidate) => {
      passed.current.add(candidate.sampleId);
      void advance();
    },
    [advance],
  );

  const latest = useRef(state);
  latest.current = state;
  const revisit = useCallback(() => {
    const { last, revisiting, current } = latest.current;
    if (!last || revisiting) return;
    held.current = current;
    setState((s) => ({ ...s, status: 'ready', current: last.candidate, revisiting: true }));
  }, []);

  /** After the end: fetch the list again, skipped images included. */
  const checkAgain = useCallback(() => {
    passed.current.clear();
    queue.current = [];
    setState((s) => ({ ...s, status: 'loading', current: undefined }));
    void advance();
  }, [advance]);

  return { state, decide, skip, revisit, checkAgain };
}
