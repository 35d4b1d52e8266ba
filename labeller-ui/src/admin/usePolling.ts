import { useCallback, useEffect, useRef, useState } from 'react';

export type Polled<T> =
  | { kind: 'loading' }
  | { kind: 'ok'; value: T }
  | { kind: 'error'; message: string; last: T | undefined };

/**
 * Calls `load` now and then every `everyMs` (the next call starts after the previous one
 * ended). `refresh()` loads at once. A failure keeps the last good value beside the message.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  everyMs: number,
  key: string,
): [Polled<T>, () => void] {
  const [state, setState] = useState<Polled<T>>({ kind: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: T | undefined;
    const run = () => {
      clearTimeout(timer);
      loadRef
        .current()
        .then(
          (value) => {
            if (stopped) return;
            last = value;
            setState({ kind: 'ok', value });
          },
          (err: unknown) => {
            if (stopped) return;
            setState({
              kind: 'error',
              message: err instanceof Error ? err.message : String(err),
              last,
            });
          },
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(run, everyMs);
        });
    };
    kick.current = run;
    run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [everyMs, key]);

  // Stable across renders, so it may sit in an effect's dependencies.
  const refresh = useCallback(() => {
    kick.current();
  }, []);
  return [state, refresh];
}

export function valueOf<T>(polled: Polled<T>): T | undefined {
  if (polled.kind === 'ok') return polled.value;
  if (polled.kind === 'error') return polled.last;
  return undefined;
}
