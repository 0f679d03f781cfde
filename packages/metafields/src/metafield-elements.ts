// One value of a metafield type: parsed from what a client sends, checked and made canonical.
// Money and decimals stay exact decimal strings from end to end; nothing passes through a float.
import { Decimal, isCurrencyCode, keyOrNull, minorUnits } from '@commerce/graphql-kit';
import { REFERENCE_KINDS, type MetafieldErrorCode, type MetafieldType, type ReferenceKind } from './metafield-types.js';

/** Why a value was refused. */
export interface ElementFailure {
  ok: false;
  code: MetafieldErrorCode;
  message: string;
}

/** One value in its canonical forms. */
export interface ParsedElement {
  ok: true;
  /** The canonical text the API shows for a single value (and compares in choices and filters). */
  text: string;
  /** The element as it sits in a list's JSON array. */
  json: unknown;
  /** Characters, for length bounds. */
  length: number;
  /** What value bounds compare: the number, the money amount or the date. */
  bounded: string;
  /** The object a reference type points at. */
  reference?: { kind: ReferenceKind; key: string; id: string };
}

export const MAX_SINGLE_LINE = 500;
export const MAX_MULTI_LINE = 65_535;
export const MAX_URL = 2_048;
const MAX_INTEGER = 2n ** 63n - 1n;
const DECIMAL = /^-?\d{1,20}(\.\d{1,10})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const fail = (message: string, code: MetafieldErrorCode = 'INVALID'): ElementFailure => ({ ok: false, code, message });

function element(text: string, json: unknown = text, bounded = text): ParsedElement {
  return { ok: true, text, json, length: [...text].length, bounded };
}

function textOf(raw: unknown): string | null {
  return typeof raw === 'string' ? raw : null;
}

function singleLine(raw: unknown): ParsedElement | ElementFailure {
  const text = textOf(raw);
  if (text === null) return fail('Give the text as a string.');
  if (/[\r\n]/.test(text)) return fail('Use a multi-line text field for line breaks.');
  if ([...text].length > MAX_SINGLE_LINE) return fail(`Use at most ${MAX_SINGLE_LINE} characters.`, 'TOO_LONG');
  return element(text);
}

function multiLine(raw: unknown): ParsedElement | ElementFailure {
  const text = textOf(raw);
  if (text === null) return fail('Give the text as a string.');
  if ([...text].length > MAX_MULTI_LINE) return fail(`Use at most ${MAX_MULTI_LINE} characters.`, 'TOO_LONG');
  return element(text);
}

function integer(raw: unknown): ParsedElement | ElementFailure {
  const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : textOf(raw)?.trim();
  if (text === undefined || text === null || !/^-?\d{1,19}$/.test(text)) return fail('Give a whole number, e.g. 42.');
  const value = BigInt(text);
  if (value > MAX_INTEGER || value < -MAX_INTEGER - 1n) return fail('The number is out of range (64-bit).');
  return element(value.toString(), value.toString());
}

function decimal(raw: unknown): ParsedElement | ElementFailure {
  const text = textOf(raw)?.trim();
  if (text === undefined || !DECIMAL.test(text))
    return fail('Give a decimal number as a string, e.g. "12.5" (at most 20 digits before the point and 10 after).');
  const canonical = new Decimal(text).toFixed();
  return element(canonical === '-0' ? '0' : canonical);
}

function boolean(raw: unknown): ParsedElement | ElementFailure {
  const value = typeof raw === 'boolean' ? raw : raw === 'true' ? true : raw === 'false' ? false : null;
  if (value === null) return fail('Give true or false.');
  return element(String(value), value);
}

function date(raw: unknown): ParsedElement | ElementFailure {
  const text = textOf(raw)?.trim() ?? '';
  const match = DATE.exec(text);
  if (!match) return fail('Give a date as YYYY-MM-DD.');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return fail('This date does not exist.');
  return element(text);
}

function dateTime(raw: unknown): ParsedElement | ElementFailure {
  const text = textOf(raw)?.trim() ?? '';
  const instant = Date.parse(text);
  if (!DATE_TIME.test(text) || Number.isNaN(instant))
    return fail('Give an ISO 8601 date and time with its offset, e.g. 2026-05-01T09:30:00Z.');
  const canonical = new Date(instant).toISOString();
  return element(canonical);
}

function url(raw: unknown): ParsedElement | ElementFailure {
  const text = textOf(raw)?.trim() ?? '';
  if (text.length > MAX_URL) return fail(`Use at most ${MAX_URL} characters.`, 'TOO_LONG');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return fail('Give an absolute http or https URL.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fail('Give an absolute http or https URL.');
  return element(text);
}

function json(raw: unknown): ParsedElement | ElementFailure {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return fail('Give valid JSON.');
    }
  }
  const text = JSON.stringify(value);
  if (text === undefined) return fail('Give valid JSON.');
  if (text.length > MAX_MULTI_LINE) return fail(`Use at most ${MAX_MULTI_LINE} characters of JSON.`, 'TOO_LONG');
  return element(text, value);
}

function money(raw: unknown): ParsedElement | ElementFailure {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return fail('Give money as JSON: {"amount": "12.50", "currencyCode": "EUR"}.');
    }
  }
  if (typeof value !== 'object' || value === null)
    return fail('Give money as JSON: {"amount": "12.50", "currencyCode": "EUR"}.');
  const { amount, currencyCode } = value as { amount?: unknown; currencyCode?: unknown };
  if (typeof currencyCode !== 'string' || !isCurrencyCode(currencyCode))
    return fail('Give currencyCode as an ISO 4217 code, e.g. EUR.');
  if (typeof amount !== 'string' || !DECIMAL.test(amount.trim()))
    return fail('Give amount as a decimal string, e.g. "12.50" (never a JSON number, which may lose digits).');
  const digits = minorUnits(currencyCode);
  const exact = new Decimal(amount.trim());
  if (exact.decimalPlaces() > digits)
    return fail(`${currencyCode} amounts have at most ${digits} digits after the point.`);
  const canonical = { amount: exact.toFixed(digits), currencyCode };
  return element(JSON.stringify(canonical), canonical, canonical.amount);
}

function reference(kind: ReferenceKind, raw: unknown): ParsedElement | ElementFailure {
  const id = textOf(raw)?.trim() ?? '';
  const key = keyOrNull(id, kind);
  if (key === null) return fail(`Give the global id of a ${kind}.`);
  return { ...element(id), reference: { kind, key, id } };
}

/**
 * One value of a type from what a client sent: a string for a single value, or an element of a
 * list's JSON array (where booleans, whole numbers, money objects and JSON may come unquoted).
 */
export function parseElement(type: MetafieldType, raw: unknown): ParsedElement | ElementFailure {
  switch (type) {
    case 'SINGLE_LINE_TEXT':
      return singleLine(raw);
    case 'MULTI_LINE_TEXT':
      return multiLine(raw);
    case 'INTEGER':
      return integer(raw);
    case 'DECIMAL':
      return decimal(raw);
    case 'BOOLEAN':
      return boolean(raw);
    case 'DATE':
      return date(raw);
    case 'DATE_TIME':
      return dateTime(raw);
    case 'URL':
      return url(raw);
    case 'JSON':
      return json(raw);
    case 'MONEY':
      return money(raw);
    case 'PRODUCT_REFERENCE':
    case 'VARIANT_REFERENCE':
    case 'CATEGORY_REFERENCE': {
      const kind = REFERENCE_KINDS[type];
      return kind ? reference(kind, raw) : fail('Unknown reference type.');
    }
  }
}
