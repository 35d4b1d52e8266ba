import { useEffect, useRef } from 'react';
import type { LabellingSession } from './labellingSession';
import { isShortcutEvent, optionIndexForKey } from './shortcuts';

/** What the keys act on, as of the latest render. */
export interface ShortcutTarget {
  options: string[];
  sampleId: number | undefined;
  choose: (option: string) => void;
  submitMulti: () => void;
}

/**
 * The labelling keys: an option's key chooses it, Enter submits a multi-label choice, S skips,
 * Z or Backspace undoes. The handler reads the latest render through a ref, so it is bound once
 * per session.
 */
export function useShortcutKeys(session: LabellingSession, target: ShortcutTarget): void {
  const latest = useRef(target);
  latest.current = target;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcutEvent(event)) return;
      const now = latest.current;
      const key = event.key.toLowerCase();
      if (key === 'backspace' || key === 'z') {
        event.preventDefault();
        session.undo();
        return;
      }
      if (key === 's') {
        event.preventDefault();
        session.skip(now.sampleId);
        return;
      }
      if (key === 'enter') {
        // Enter on a focused button activates that button instead.
        if (event.target instanceof HTMLButtonElement) return;
        event.preventDefault();
        now.submitMulti();
        return;
      }
      const option = now.options[optionIndexForKey(now.options, key)];
      if (option !== undefined) {
        event.preventDefault();
        now.choose(option);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [session]);
}
