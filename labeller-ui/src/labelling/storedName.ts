import * as z from 'zod/mini';

const KEY = 'labeller.name';
const NameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));

/** The labeller's name, remembered in localStorage across visits. */
export function loadName(): string | undefined {
  const parsed = NameSchema.safeParse(localStorage.getItem(KEY));
  return parsed.success ? parsed.data : undefined;
}

export function saveName(name: string): void {
  localStorage.setItem(KEY, name);
}

export function forgetName(): void {
  localStorage.removeItem(KEY);
}

export { NameSchema };
