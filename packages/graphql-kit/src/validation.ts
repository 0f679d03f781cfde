import { userError, type UserError } from './errors.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** Email addresses are compared trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Collects field-level userErrors while validating one mutation's input. */
export class InputErrors {
  readonly errors: UserError[] = [];

  add(field: string[], message: string, code = 'INVALID'): this {
    this.errors.push(userError(field, message, code));
    return this;
  }

  /** Requires a non-blank string of at most `max` characters. */
  text(field: string[], value: string | null | undefined, max = 255): this {
    if (value == null || value.trim() === '') return this.add(field, 'This field is required.', 'BLANK');
    if (value.length > max) return this.add(field, `Use at most ${max} characters.`, 'TOO_LONG');
    return this;
  }

  email(field: string[], value: string): this {
    if (!EMAIL.test(value.trim()) || value.length > 254) this.add(field, 'Enter a valid email address.', 'INVALID');
    return this;
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}

/** Whether a database error is a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002';
}

/** Escapes LIKE wildcards so user text matches literally (Prisma's contains/startsWith do not). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
