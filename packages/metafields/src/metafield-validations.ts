// The validations a definition carries, checked when staff define the field and applied to every
// value (each element of a list) written to it.
import { createRequire } from 'node:module';
import type { MetafieldErrorCode, MetafieldType } from './metafield-types.js';
import { parseElement, type ElementFailure } from './metafield-elements.js';

/** A definition's validations, as stored (bounds and choices in their canonical forms). */
export interface MetafieldValidations {
  required?: boolean;
  /** The least length (text, URL) or value (numbers, money amounts, dates). */
  min?: string;
  /** The greatest length (text, URL) or value (numbers, money amounts, dates). */
  max?: string;
  /** The only values allowed, canonical (single-line text, integers, decimals). */
  choices?: string[];
  /** A pattern the whole value must match (text, URL), in RE2's syntax. */
  regex?: string;
}

/** What staff send; null and absent mean "no such validation". */
export interface MetafieldValidationsInput {
  required?: boolean | null;
  min?: string | null;
  max?: string | null;
  choices?: readonly string[] | null;
  regex?: string | null;
}

/** One problem with the validations: which of them, why, and its code. */
export interface ValidationsProblem {
  field: 'required' | 'min' | 'max' | 'choices' | 'regex';
  message: string;
  code: MetafieldErrorCode;
}

const LENGTH_BOUNDED = new Set<MetafieldType>(['SINGLE_LINE_TEXT', 'MULTI_LINE_TEXT', 'URL']);
const VALUE_BOUNDED = new Set<MetafieldType>(['INTEGER', 'DECIMAL', 'MONEY', 'DATE', 'DATE_TIME']);
const WITH_CHOICES = new Set<MetafieldType>(['SINGLE_LINE_TEXT', 'INTEGER', 'DECIMAL']);
const WITH_REGEX = new Set<MetafieldType>(['SINGLE_LINE_TEXT', 'MULTI_LINE_TEXT', 'URL']);
const MAX_REGEX_LENGTH = 200;
const MAX_CHOICES = 128;

/** How a type compares bounds: by length, by value (a sort key), or not at all. */
export function boundKind(type: MetafieldType): 'length' | 'value' | null {
  if (LENGTH_BOUNDED.has(type)) return 'length';
  if (VALUE_BOUNDED.has(type)) return 'value';
  return null;
}

/** A bound in its canonical form: a length, or the type's canonical value (a money bound is an amount). */
function readBound(type: MetafieldType, raw: string): { ok: true; bound: string } | ElementFailure {
  if (boundKind(type) === 'length') {
    return /^\d{1,6}$/.test(raw.trim())
      ? { ok: true, bound: String(Number(raw.trim())) }
      : { ok: false, code: 'INVALID', message: 'A length bound is a whole number of characters.' };
  }
  const element = parseElement(type === 'MONEY' ? 'DECIMAL' : type, raw);
  return element.ok ? { ok: true, bound: element.text } : element;
}

/** Checks staff's validations against the field's type and returns them canonical, or the problems. */
export function readValidations(
  type: MetafieldType,
  input: MetafieldValidationsInput | null | undefined,
): { ok: true; validations: MetafieldValidations } | { ok: false; problems: ValidationsProblem[] } {
  const problems: ValidationsProblem[] = [];
  const validations: MetafieldValidations = {};
  if (input?.required) validations.required = true;
  for (const field of ['min', 'max'] as const) {
    const raw = input?.[field];
    if (raw == null) continue;
    if (boundKind(type) === null) {
      problems.push({ field, message: `A ${type} field takes no ${field}.`, code: 'INVALID' });
      continue;
    }
    const bound = readBound(type, raw);
    if (bound.ok) validations[field] = bound.bound;
    else problems.push({ field, message: bound.message, code: 'INVALID' });
  }
  if (validations.min !== undefined && validations.max !== undefined) {
    if (compareBound(type, validations.min, validations.max) > 0)
      problems.push({ field: 'max', message: 'max is below min.', code: 'INVALID' });
  }
  if (input?.choices != null) {
    if (!WITH_CHOICES.has(type)) {
      problems.push({ field: 'choices', message: `A ${type} field takes no choices.`, code: 'INVALID' });
    } else if (input.choices.length === 0 || input.choices.length > MAX_CHOICES) {
      problems.push({ field: 'choices', message: `Give 1 to ${MAX_CHOICES} choices.`, code: 'INVALID' });
    } else {
      const choices: string[] = [];
      for (const raw of input.choices) {
        const element = parseElement(type, raw);
        if (!element.ok) {
          problems.push({ field: 'choices', message: `Choice "${raw}": ${element.message}`, code: 'INVALID' });
          break;
        }
        if (!choices.includes(element.text)) choices.push(element.text);
      }
      validations.choices = choices;
    }
  }
  if (input?.regex != null) {
    if (!WITH_REGEX.has(type)) {
      problems.push({ field: 'regex', message: `A ${type} field takes no regex.`, code: 'INVALID' });
    } else if (input.regex.length === 0 || input.regex.length > MAX_REGEX_LENGTH) {
      problems.push({
        field: 'regex',
        message: `Give a pattern of 1 to ${MAX_REGEX_LENGTH} characters.`,
        code: 'INVALID',
      });
    } else if (compilePattern(input.regex) === null) {
      problems.push({ field: 'regex', message: 'This is not a valid regular expression.', code: 'INVALID' });
    } else {
      validations.regex = input.regex;
    }
  }
  return problems.length === 0 ? { ok: true, validations } : { ok: false, problems };
}

/**
 * RE2, loaded on the first pattern: its WebAssembly instance holds about 8 MB in every process that
 * loads it, and most processes (and stores) never check a pattern.
 */
function re2(): typeof import('re2-wasm') {
  loaded ??= createRequire(import.meta.url)('re2-wasm') as typeof import('re2-wasm');
  return loaded;
}
let loaded: typeof import('re2-wasm') | undefined;

/** A compiled pattern: what a value is tested with. */
export interface Pattern {
  test(value: string): boolean;
}

/**
 * The pattern as a whole-value match, or null when it does not compile. Patterns come from one
 * store's staff and run in processes every store shares, so they run on RE2, in time linear in
 * the value: no pattern can make a backtracking engine spin (no backreferences or lookaround).
 */
export function compilePattern(regex: string): Pattern | null {
  try {
    return new (re2().RE2)(`^(?:${regex})$`, 'u');
  } catch {
    return null;
  }
}

/** Compares two canonical values (or bounds) of a type: negative, zero or positive. */
export function compareBound(type: MetafieldType, a: string, b: string): number {
  if (boundKind(type) === 'length') return Number(a) - Number(b);
  if (type === 'DATE' || type === 'DATE_TIME') return Date.parse(a) - Date.parse(b);
  // Integers, decimals and money amounts: exact decimal comparison.
  return compareDecimals(a, b);
}

/** Compares two decimal strings exactly (no floating point). */
function compareDecimals(a: string, b: string): number {
  const [aSign, aInt, aFrac] = splitDecimal(a);
  const [bSign, bInt, bFrac] = splitDecimal(b);
  if (aSign !== bSign) return aSign - bSign;
  const width = Math.max(aFrac.length, bFrac.length);
  const left = aInt.padStart(64, '0') + aFrac.padEnd(width, '0');
  const right = bInt.padStart(64, '0') + bFrac.padEnd(width, '0');
  const magnitude = left < right ? -1 : left > right ? 1 : 0;
  return aSign * magnitude;
}

function splitDecimal(value: string): [number, string, string] {
  const negative = value.startsWith('-');
  const [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  const zero = /^0*$/.test(int) && /^0*$/.test(frac);
  return [zero ? 0 : negative ? -1 : 1, int.replace(/^0+/, ''), frac];
}

/** Checks one canonical element against the validations (required is the caller's). */
export function checkElement(
  type: MetafieldType,
  element: { text: string; length: number; bounded: string },
  validations: MetafieldValidations,
): ElementFailure | null {
  const kind = boundKind(type);
  const measured = kind === 'length' ? String(element.length) : element.bounded;
  const what = kind === 'length' ? 'characters' : '';
  if (validations.min !== undefined && compareBound(type, measured, validations.min) < 0)
    return { ok: false, code: 'LESS_THAN_MIN', message: `Use at least ${validations.min}${what ? ` ${what}` : ''}.` };
  if (validations.max !== undefined && compareBound(type, measured, validations.max) > 0)
    return { ok: false, code: 'GREATER_THAN_MAX', message: `Use at most ${validations.max}${what ? ` ${what}` : ''}.` };
  if (validations.choices !== undefined && !validations.choices.includes(element.text))
    return { ok: false, code: 'NOT_A_CHOICE', message: `Choose one of: ${validations.choices.join(', ')}.` };
  if (validations.regex !== undefined && !compilePattern(validations.regex)?.test(element.text))
    return { ok: false, code: 'PATTERN_MISMATCH', message: `The value must match ${validations.regex}.` };
  return null;
}

/** The validations stored in a definition's JSON column. */
export function validationsFromJson(json: unknown): MetafieldValidations {
  if (typeof json !== 'object' || json === null) return {};
  const stored = json as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const validations: MetafieldValidations = {};
  if (stored.required === true) validations.required = true;
  const min = text(stored.min);
  const max = text(stored.max);
  const regex = text(stored.regex);
  if (min !== undefined) validations.min = min;
  if (max !== undefined) validations.max = max;
  if (regex !== undefined) validations.regex = regex;
  if (Array.isArray(stored.choices)) validations.choices = stored.choices.filter((c) => typeof c === 'string');
  return validations;
}
