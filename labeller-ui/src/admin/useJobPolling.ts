import { useEffect, useRef, useState } from 'react';

/**
 * Follows a background job (a retrain, an import) from the moment `jobId` is set: `load` every
 * `everyMs` until `finished` says so, then `onFinished` once. A failed read is shown and
 * retried more slowly. A new `jobId` starts over.
 */
export function useJobPolling<T>(
  jobId: number | undefined,
  load: (jobId: number) => Promise<T>,
  finished: (state: T) => boolean,
  onFinished: (state: T) => void,
  everyMs: number,
): { state: T | undefined; error: string | undefined } {
  const [state, setState] = useState<T>();
  const [error, setError] = useState<string>();
  // The latest callbacks, without restarting the polling when a parent re-renders.
  const calls = useRef({ load, finished, onFinished });
  calls.current = { load, finished, onFinished };

  useEffect(() => {
    setState(undefined);
    if (jobId === undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      calls.current.load(jobId).then(
        (next) => {
          if (stopped) return;
          setState(next);
          setError(undefined);
          if (calls.current.finished(next)) calls.current.onFinished(next);
          else timer = setTimeout(poll, everyMs);
        },
        (err: unknown) => {
          if (stopped) return;
          setError(err instanceof Error ? err.message : String(err));
          timer = setTimeout(poll, everyMs * 4);
        },
      );
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId, everyMs]);
  return { state, error };
}
