// A whole metafield value against its definition: one element or a list of them, with the
// definition's validations, in the form it is stored and shown.
import { MAX_LIST_ITEMS, FILTERABLE_TYPES, type MetafieldType, type ReferenceKind } from './metafield-types.js';
import { parseElement, type ElementFailure, type ParsedElement } from './metafield-elements.js';
import { checkElement, type MetafieldValidations } from './metafield-validations.js';

/** What a value is checked against. */
export interface MetafieldShape {
  type: MetafieldType;
  list: boolean;
  validations: MetafieldValidations;
}

/** A value ready to store. */
export interface ParsedMetafieldValue {
  ok: true;
  /** The canonical value the API shows (a list as a JSON array). */
  value: string;
  /** What a listing filter compares; null for types that cannot be filtered on and for lists. */
  searchValue: string | null;
  /** Objects the value points at, which must exist in the store. */
  references: { kind: ReferenceKind; key: string; id: string }[];
}

/** Parses and validates a client's value for a field of the given shape. */
export function parseMetafieldValue(shape: MetafieldShape, raw: string): ParsedMetafieldValue | ElementFailure {
  if (raw.trim() === '')
    return { ok: false, code: 'BLANK', message: 'Give a value; to remove one, use metafieldsDelete.' };
  if (!shape.list) {
    const parsed = checked(shape, parseElement(shape.type, raw));
    if (!parsed.ok) return parsed;
    return {
      ok: true,
      value: parsed.text,
      searchValue: FILTERABLE_TYPES.has(shape.type) ? parsed.text : null,
      references: parsed.reference ? [parsed.reference] : [],
    };
  }
  let items: unknown;
  try {
    items = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'INVALID', message: 'Give a list as a JSON array, e.g. ["a", "b"].' };
  }
  if (!Array.isArray(items))
    return { ok: false, code: 'INVALID', message: 'Give a list as a JSON array, e.g. ["a", "b"].' };
  if (items.length === 0)
    return { ok: false, code: 'BLANK', message: 'Give at least one item; to remove the value, use metafieldsDelete.' };
  if (items.length > MAX_LIST_ITEMS)
    return { ok: false, code: 'TOO_LONG', message: `A list holds at most ${MAX_LIST_ITEMS} items.` };
  const elements: ParsedElement[] = [];
  for (const [index, item] of items.entries()) {
    const parsed = checked(shape, parseElement(shape.type, item));
    if (!parsed.ok) return { ...parsed, message: `Item ${index}: ${parsed.message}` };
    elements.push(parsed);
  }
  return {
    ok: true,
    value: JSON.stringify(elements.map((element) => element.json)),
    searchValue: null,
    references: elements.flatMap((element) => (element.reference ? [element.reference] : [])),
  };
}

function checked(shape: MetafieldShape, parsed: ParsedElement | ElementFailure): ParsedElement | ElementFailure {
  if (!parsed.ok) return parsed;
  return checkElement(shape.type, parsed, shape.validations) ?? parsed;
}

/** The canonical text a filter compares for a single value of the type, or the reason it cannot be one. */
export function searchValueOf(type: MetafieldType, raw: string): { ok: true; value: string } | ElementFailure {
  if (!FILTERABLE_TYPES.has(type))
    return { ok: false, code: 'INVALID', message: `${type} fields cannot be filtered on.` };
  const parsed = parseElement(type, raw);
  return parsed.ok ? { ok: true, value: parsed.text } : parsed;
}
