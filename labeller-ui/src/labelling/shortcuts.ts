/**
 * Keyboard shortcuts for options: 1–9, 0, then letters. S (skip) and Z (undo) are reserved,
 * so they never name an option.
 */
// prettier-ignore
const OPTION_KEYS = [
  '1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
  'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
  'n', 'o', 'p', 'q', 'r', 't', 'u', 'v', 'w', 'x', 'y',
];

export function shortcutForOption(index: number): string | undefined {
  return OPTION_KEYS[index];
}

/** The option index a key selects, or -1. */
export function optionIndexForKey(key: string): number {
  return OPTION_KEYS.indexOf(key.toLowerCase());
}

/**
 * Keys typed into a form field or with a modifier are not shortcuts, nor is auto-repeat: a
 * held key must not label one image after another.
 */
export function isShortcutEvent(event: KeyboardEvent): boolean {
  if (event.repeat) return false;
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return false;
  const target = event.target;
  if (target instanceof HTMLElement) {
    if (target.isContentEditable) return false;
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return false;
  }
  return true;
}
