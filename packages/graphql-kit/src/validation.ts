import { property, userError, type UserError } from './errors.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** Email addresses are compared trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The codes the checks below produce; every domain's error-code enum has them. */
export type ValidationErrorCode = 'INVALID' | 'BLANK' | 'TOO_LONG';

/** Collects field-level userErrors while validating one mutation's input; `Code` is the domain's error-code enum. */
export class InputErrors<Code extends string> {
  readonly errors: UserError<Code | ValidationErrorCode>[] = [];

  add(field: string[], message: string, code: Code | ValidationErrorCode = 'INVALID'): this {
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
  return property(error, 'code') === 'P2002';
}

/**
 * The driver's description of a unique violation, from Prisma's queries (P2002), its raw queries
 * (P2010), or node-postgres itself (SQLSTATE 23505, in SQL transactions).
 */
function uniqueViolationCause(error: unknown): { found: boolean; cause: unknown } {
  const constraint = property(error, 'constraint');
  if (property(error, 'code') === '23505' && typeof constraint === 'string')
    return { found: true, cause: { constraint: { index: constraint } } };
  const cause = property(property(property(error, 'meta'), 'driverAdapterError'), 'cause');
  return { found: isUniqueViolation(error) || property(cause, 'kind') === 'UniqueConstraintViolation', cause };
}

/** The unique index a database error violated ('' when the driver does not say which), or null when it is no unique violation. */
export function violatedUniqueIndex(error: unknown): string | null {
  const { found, cause } = uniqueViolationCause(error);
  if (!found) return null;
  const index = property(property(cause, 'constraint'), 'index');
  return typeof index === 'string' ? index : '';
}

/** Whether a database error violates this unique index: by its name, or by its columns when the driver gives only those. */
export function violatesUniqueIndex(error: unknown, index: string, columns: readonly string[]): boolean {
  const { found, cause } = uniqueViolationCause(error);
  if (!found) return false;
  const constraint = property(cause, 'constraint');
  const name = property(constraint, 'index');
  if (typeof name === 'string') return name === index;
  const fields = property(constraint, 'fields') ?? property(property(error, 'meta'), 'target');
  return (
    Array.isArray(fields) &&
    columns.every((column) => fields.some((field) => String(field).replaceAll('"', '') === column))
  );
}

/** Escapes LIKE wildcards so user text matches literally (Prisma's contains/startsWith do not). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
