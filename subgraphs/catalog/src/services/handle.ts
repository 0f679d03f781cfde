import type { Transaction } from '@commerce/database';

/** Longest handle the API accepts. */
export const MAX_HANDLE_LENGTH = 255;

// Generated handles leave room for a "-<n>" suffix within MAX_HANDLE_LENGTH.
const MAX_BASE_LENGTH = 200;

const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Whether a handle is lower-case ascii letters and digits in words joined by single hyphens. */
export function isHandle(value: string): boolean {
  return value.length <= MAX_HANDLE_LENGTH && HANDLE.test(value);
}

/** A handle made from a title: "Crème Brûlée, 2 pcs" becomes "creme-brulee-2-pcs"; `fallback` when nothing ascii is left. */
export function handleFromTitle(title: string, fallback: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_BASE_LENGTH)
    .replace(/^-+|-+$/g, '');
  return words || fallback;
}

/** `base` when it is free, else the first of base-2, base-3, … that is not taken. */
export function firstFreeHandle(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}

/**
 * Makes the creators of one kind of handle in one store take turns until their transactions end,
 * so each sees the handles the others generated instead of generating the same one.
 */
export async function lockHandleGeneration(
  tx: Transaction,
  kind: 'product' | 'category',
  storeId: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${kind}-handle:${storeId}`}, 0))`;
}
