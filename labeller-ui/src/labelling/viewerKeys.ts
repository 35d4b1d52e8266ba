/**
 * The viewer's keys, chosen among those the labelling keys never use (options take digits and
 * letters, S skips, Z undoes): + and − zoom, 0 or Esc resets the view (0 only when no option
 * takes it), [ ] brightness, { } contrast, < > gamma, \ resets them.
 */
import type { Adjustments } from './displayAdjustments';
import { optionIndexForKey } from './shortcuts';

export type ViewerAction =
  | { kind: 'zoom'; dir: 1 | -1 }
  | { kind: 'reset-view' }
  | { kind: 'adjust'; which: keyof Adjustments; dir: 1 | -1 }
  | { kind: 'reset-adjustments' };

const ACTIONS: Record<string, ViewerAction> = {
  '+': { kind: 'zoom', dir: 1 },
  '=': { kind: 'zoom', dir: 1 },
  '-': { kind: 'zoom', dir: -1 },
  _: { kind: 'zoom', dir: -1 },
  escape: { kind: 'reset-view' },
  '0': { kind: 'reset-view' },
  ']': { kind: 'adjust', which: 'brightness', dir: 1 },
  '[': { kind: 'adjust', which: 'brightness', dir: -1 },
  '}': { kind: 'adjust', which: 'contrast', dir: 1 },
  '{': { kind: 'adjust', which: 'contrast', dir: -1 },
  '>': { kind: 'adjust', which: 'gamma', dir: 1 },
  '<': { kind: 'adjust', which: 'gamma', dir: -1 },
  '.': { kind: 'adjust', which: 'gamma', dir: 1 },
  ',': { kind: 'adjust', which: 'gamma', dir: -1 },
  '\\': { kind: 'reset-adjustments' },
};

/** What a key does to the view, or undefined (labelling keys always win). */
export function viewerActionForKey(
  options: readonly string[],
  key: string,
): ViewerAction | undefined {
  const k = key.toLowerCase();
  if (optionIndexForKey(options, k) >= 0) return undefined;
  return ACTIONS[k];
}

/** The keys as a labeller reads them, for the tools' tooltips. */
export const VIEWER_KEY_HELP =
  'Zoom: wheel, + / −, double-click; drag to pan; 0 or Esc resets. ' +
  'Brightness [ ], contrast { }, gamma < >, \\ resets them.';
