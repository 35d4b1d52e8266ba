import { z } from 'zod';

const KEY = 'labeller.name';
const NameSchema = z.string().trim().min(1).max(64);

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
