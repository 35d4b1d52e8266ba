import { useEffect, useRef, useState } from 'react';
import {
  loadAdjustments,
  NEUTRAL,
  saveAdjustments,
  stepAdjustment,
  type Adjustments,
} from './displayAdjustments';
import { isShortcutEvent } from './shortcuts';
import { viewerActionForKey } from './viewerKeys';

/**
 * The labeller's display adjustments, remembered under their name, and the keys that step
 * them ([ ] { } < > \). Returns the current values and a setter for the sliders.
 */
export function useAdjustments(labeller: string, options: readonly string[]) {
  const [adjustments, setAdjustments] = useState<Adjustments>(() => loadAdjustments(labeller));
  const latestOptions = useRef(options);
  latestOptions.current = options;

  useEffect(() => {
    setAdjustments(loadAdjustments(labeller));
  }, [labeller]);

  useEffect(() => {
    saveAdjustments(labeller, adjustments);
  }, [labeller, adjustments]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcutEvent(event)) return;
      const action = viewerActionForKey(latestOptions.current, event.key);
      if (action?.kind === 'adjust') {
        event.preventDefault();
        setAdjustments((a) => stepAdjustment(a, action.which, action.dir));
      } else if (action?.kind === 'reset-adjustments') {
        event.preventDefault();
        setAdjustments(NEUTRAL);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  return [adjustments, setAdjustments] as const;
}
