/**
 * Keyboard shortcuts for options: 1–9, 0, then letters, by position. When every option is itself
 * one distinct key (digits '0'..'9', letters 'a'..), each option is its own key instead, so a
 * labeller presses 7 for "7". S (skip) and Z (undo) are reserved, so they never name an option.
 */
// prettier-ignore
const OPTION_KEYS = [
  '1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
  'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
  'n', 'o', 'p', 'q', 'r', 't', 'u', 'v', 'w', 'x', 'y',
];

/** The shortcut key of each option, in option order (undefined past the last key). */
export function shortcutsForOptions(options: readonly string[]): (string | undefined)[] {
  const own = options.map((o) => o.toLowerCase());
  const ownKeys = own.every((k) => OPTION_KEYS.includes(k)) && new Set(own).size === own.length;
  return ownKeys ? own : options.map((_, i) => OPTION_KEYS[i]);
}

/** The option index a key selects among these options, or -1. */
export function optionIndexForKey(options: readonly string[], key: string): number {
  return shortcutsForOptions(options).indexOf(key.toLowerCase());
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
