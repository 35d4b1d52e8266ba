import { useRef, useState } from 'react';
import type { LabellingSession } from './labellingSession';

interface Choice {
  id: number | undefined;
  values: string[];
}

export interface SampleChoice {
  /** The options chosen so far for the sample on screen (multi-label). */
  selected: string[];
  /** An option's button or key: labels at once (single-label) or toggles it (multi-label). */
  choose: (option: string) => void;
  /** Labels the sample on screen with the options chosen (multi-label; none chosen: nothing). */
  submitMulti: () => void;
}

/**
 * What the labeller picked for the sample on screen. Actions name that sample, so one never
 * lands on a sample that is not shown yet. Multi-label choices belong to the sample shown; a
 * new sample starts with none. The ref holds the choice as of the last key, so two keys pressed
 * before a re-render both count.
 */
export function useSampleChoice(
  session: LabellingSession,
  sampleId: number | undefined,
  multiLabel: boolean,
): SampleChoice {
  const [choice, setChoice] = useState<Choice>({ id: undefined, values: [] });
  const choiceRef = useRef(choice);
  const selected = choice.id === sampleId ? choice.values : [];

  const toggle = (option: string) => {
    if (!session.actionable(sampleId, `“${option}” was not toggled`)) return;
    const prev = choiceRef.current;
    const before = prev.id === sampleId ? prev.values : [];
    const values = before.includes(option)
      ? before.filter((v) => v !== option)
      : [...before, option];
    choiceRef.current = { id: sampleId, values };
    setChoice(choiceRef.current);
  };
  const choose = (option: string) => {
    if (multiLabel) toggle(option);
    else session.label(option, sampleId);
  };
  const submitMulti = () => {
    const now = choiceRef.current;
    if (now.id === sampleId && now.values.length > 0) session.label(now.values, sampleId);
  };
  return { selected, choose, submitMulti };
}
