import { useEffect, useRef } from 'react';
import { isShortcutEvent, optionIndexForKey } from '../labelling/shortcuts';

/** What the review keys act on, as of the latest render. */
export interface ReviewKeyTarget {
  options: string[];
  /** False while nothing is shown or a decision is on its way. */
  active: boolean;
  /** An option's key: single-label decides it, multi-label toggles it. */
  option: (option: string) => void;
  /** Enter: the shown label (single-label) or the toggled set (multi-label). */
  submit: () => void;
  /** Y: the shown label, whatever is toggled. */
  confirm: () => void;
  skip: () => void;
  revisit: () => void;
}

/**
 * The review page's keys. Option keys are the labelling page's (shortcuts.ts), so a reviewer
 * presses what labellers press. Enter and → always mean submit and skip; Y and N do only when no
 * option has that key (a project with many options, or options named by letters, uses them).
 * Z brings back the last decision: nothing can be undone, a new decision is added instead.
 */
export function useReviewKeys(target: ReviewKeyTarget): void {
  const latest = useRef(target);
  latest.current = target;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcutEvent(event)) return;
      const now = latest.current;
      const key = event.key.toLowerCase();
      const option = now.options[optionIndexForKey(now.options, key)];
      let action: (() => void) | undefined;
      if (key === 'enter') {
        // Enter on a focused button activates that button instead.
        if (event.target instanceof HTMLButtonElement) return;
        action = now.submit;
      } else if (option !== undefined)
        action = () => {
          now.option(option);
        };
      else if (key === 'y') action = now.confirm;
      else if (key === 'arrowright' || key === 'n') action = now.skip;
      else if (key === 'z') action = now.revisit;
      if (!action) return;
      event.preventDefault();
      if (now.active || action === now.revisit) action();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}
