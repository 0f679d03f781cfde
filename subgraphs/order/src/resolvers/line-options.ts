import type { Prisma } from '@commerce/database';

/** Option values stored as JSON ([{ name, value }]), as LineOption objects. */
export function lineOptions(value: Prisma.JsonValue): { name: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return [];
    const { name, value: optionValue } = entry as Record<string, unknown>;
    return typeof name === 'string' && typeof optionValue === 'string' ? [{ name, value: optionValue }] : [];
  });
}
