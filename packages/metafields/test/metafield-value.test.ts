// Every metafield type's parsing, canonical form and validations, where they live.
import { describe, expect, it } from 'vitest';
import { toGlobalId } from '@commerce/graphql-kit';
import {
  parseMetafieldValue,
  readValidations,
  searchValueOf,
  type MetafieldShape,
  type MetafieldType,
  type MetafieldValidationsInput,
} from '../src/index.js';

const UUID = '7d3c6f2e-9a41-4c3e-b8f1-2a6d5e4c3b21';

function shape(type: MetafieldType, validations: MetafieldValidationsInput = {}, list = false): MetafieldShape {
  const read = readValidations(type, validations);
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return { type, list, validations: read.validations };
}

/** The stored value, or the refusal's code. */
function outcome(metafieldShape: MetafieldShape, raw: string): string {
  const parsed = parseMetafieldValue(metafieldShape, raw);
  return parsed.ok ? parsed.value : `!${parsed.code}`;
}

describe('metafield values by type', () => {
  it('single-line text keeps the text and refuses line breaks, blanks and more than 500 characters', () => {
    const text = shape('SINGLE_LINE_TEXT');
    expect(outcome(text, 'Linen')).toBe('Linen');
    expect(outcome(text, 'two\nlines')).toBe('!INVALID');
    expect(outcome(text, '   ')).toBe('!BLANK');
    expect(outcome(text, 'x'.repeat(501))).toBe('!TOO_LONG');
  });

  it('multi-line text keeps line breaks', () => {
    expect(outcome(shape('MULTI_LINE_TEXT'), 'one\ntwo')).toBe('one\ntwo');
  });

  it('integers are whole 64-bit numbers in canonical form', () => {
    const integer = shape('INTEGER');
    expect(outcome(integer, '007')).toBe('7');
    expect(outcome(integer, '-12')).toBe('-12');
    expect(outcome(integer, '9223372036854775807')).toBe('9223372036854775807');
    expect(outcome(integer, '9223372036854775808')).toBe('!INVALID');
    expect(outcome(integer, '1.5')).toBe('!INVALID');
  });

  it('decimals are exact, without trailing zeros, never floats', () => {
    const decimal = shape('DECIMAL');
    expect(outcome(decimal, '12.50')).toBe('12.5');
    expect(outcome(decimal, '0.1000000001')).toBe('0.1000000001');
    expect(outcome(decimal, '12345678901234567890.5')).toBe('12345678901234567890.5');
    expect(outcome(decimal, '1e3')).toBe('!INVALID');
  });

  it('booleans are true or false', () => {
    expect(outcome(shape('BOOLEAN'), 'true')).toBe('true');
    expect(outcome(shape('BOOLEAN'), 'yes')).toBe('!INVALID');
  });

  it('dates must exist; date-times need an offset and are kept in UTC', () => {
    expect(outcome(shape('DATE'), '2024-02-29')).toBe('2024-02-29');
    expect(outcome(shape('DATE'), '2023-02-29')).toBe('!INVALID');
    expect(outcome(shape('DATE_TIME'), '2026-05-01T11:30:00+02:00')).toBe('2026-05-01T09:30:00.000Z');
    expect(outcome(shape('DATE_TIME'), '2026-05-01T11:30:00')).toBe('!INVALID');
  });

  it('URLs are absolute http or https', () => {
    expect(outcome(shape('URL'), 'https://example.com/care')).toBe('https://example.com/care');
    expect(outcome(shape('URL'), 'javascript:alert(1)')).toBe('!INVALID');
    expect(outcome(shape('URL'), 'example.com')).toBe('!INVALID');
  });

  it('JSON is kept compact and must parse', () => {
    expect(outcome(shape('JSON'), '{ "a": [1, 2] }')).toBe('{"a":[1,2]}');
    expect(outcome(shape('JSON'), '{a:1}')).toBe('!INVALID');
  });

  it('money is an exact amount in a currency, with no more digits than the currency has', () => {
    const price = shape('MONEY');
    expect(outcome(price, '{"amount":"12.5","currencyCode":"EUR"}')).toBe('{"amount":"12.50","currencyCode":"EUR"}');
    expect(outcome(price, '{"amount":"500","currencyCode":"JPY"}')).toBe('{"amount":"500","currencyCode":"JPY"}');
    expect(outcome(price, '{"amount":"12.345","currencyCode":"EUR"}')).toBe('!INVALID');
    expect(outcome(price, '{"amount":12.5,"currencyCode":"EUR"}')).toBe('!INVALID');
    expect(outcome(price, '{"amount":"1","currencyCode":"XYZ"}')).toBe('!INVALID');
  });

  it('references are global ids of their kind, reported for the existence check', () => {
    const product = toGlobalId('Product', UUID);
    const parsed = parseMetafieldValue(shape('PRODUCT_REFERENCE'), product);
    expect(parsed).toMatchObject({ ok: true, value: product, references: [{ kind: 'Product', key: UUID }] });
    expect(outcome(shape('VARIANT_REFERENCE'), product)).toBe('!INVALID');
    expect(outcome(shape('CATEGORY_REFERENCE'), toGlobalId('Category', UUID))).toBe(toGlobalId('Category', UUID));
  });

  it('lists are JSON arrays of the type, each item checked, and are not filterable', () => {
    const sizes = shape('INTEGER', { min: '1', max: '10' }, true);
    const parsed = parseMetafieldValue(sizes, '[1, "02", 3]');
    expect(parsed).toMatchObject({ ok: true, value: '["1","2","3"]', searchValue: null });
    expect(outcome(sizes, '[1, 11]')).toBe('!GREATER_THAN_MAX');
    expect(outcome(sizes, '[]')).toBe('!BLANK');
    expect(outcome(sizes, '"1"')).toBe('!INVALID');
    expect(outcome(shape('BOOLEAN', {}, true), '[true, false]')).toBe('[true,false]');
  });
});

describe('metafield validations', () => {
  it('min and max bound the length of text and the value of numbers, money and dates', () => {
    expect(outcome(shape('SINGLE_LINE_TEXT', { min: '2', max: '4' }), 'a')).toBe('!LESS_THAN_MIN');
    expect(outcome(shape('SINGLE_LINE_TEXT', { min: '2', max: '4' }), 'abcde')).toBe('!GREATER_THAN_MAX');
    expect(outcome(shape('DECIMAL', { min: '0.5' }), '0.49')).toBe('!LESS_THAN_MIN');
    expect(outcome(shape('DECIMAL', { max: '100' }), '100.00')).toBe('100');
    expect(outcome(shape('MONEY', { max: '10' }), '{"amount":"10.01","currencyCode":"EUR"}')).toBe('!GREATER_THAN_MAX');
    expect(outcome(shape('DATE', { min: '2026-01-01' }), '2025-12-31')).toBe('!LESS_THAN_MIN');
    expect(outcome(shape('INTEGER', { min: '-5' }), '-6')).toBe('!LESS_THAN_MIN');
  });

  it('choices admit only their values, compared in canonical form', () => {
    const color = shape('SINGLE_LINE_TEXT', { choices: ['red', 'blue'] });
    expect(outcome(color, 'red')).toBe('red');
    expect(outcome(color, 'green')).toBe('!NOT_A_CHOICE');
    expect(outcome(shape('DECIMAL', { choices: ['1.50'] }), '1.5')).toBe('1.5');
  });

  it('a regex must match the whole value', () => {
    const code = shape('SINGLE_LINE_TEXT', { regex: '[A-Z]{3}' });
    expect(outcome(code, 'ABC')).toBe('ABC');
    expect(outcome(code, 'ABCD')).toBe('!PATTERN_MISMATCH');
  });

  it('a regex runs in linear time, so no pattern can stall the shared process', () => {
    // Catastrophic for a backtracking engine: (a+)+ against many a's and a final mismatch.
    const nested = shape('MULTI_LINE_TEXT', { regex: '(a+)+' });
    const started = performance.now();
    expect(outcome(nested, `${'a'.repeat(60_000)}b`)).toBe('!PATTERN_MISMATCH');
    expect(performance.now() - started).toBeLessThan(2_000);
    // Backreferences need backtracking: refused when the field is defined.
    expect(readValidations('SINGLE_LINE_TEXT', { regex: '(a)\\1' })).toMatchObject({ ok: false });
  });

  it('are refused when they do not suit the type or are malformed', () => {
    const problems = (type: MetafieldType, input: MetafieldValidationsInput) => {
      const read = readValidations(type, input);
      return read.ok ? [] : read.problems.map((problem) => problem.field);
    };
    expect(problems('BOOLEAN', { min: '1' })).toEqual(['min']);
    expect(problems('JSON', { choices: ['a'] })).toEqual(['choices']);
    expect(problems('INTEGER', { regex: '\\d+' })).toEqual(['regex']);
    expect(problems('SINGLE_LINE_TEXT', { regex: '(' })).toEqual(['regex']);
    expect(problems('INTEGER', { min: '10', max: '1' })).toEqual(['max']);
    expect(problems('INTEGER', { choices: ['one'] })).toEqual(['choices']);
    expect(problems('DATE', { max: 'tomorrow' })).toEqual(['max']);
    expect(readValidations('DECIMAL', { required: true, min: '0.50' })).toEqual({
      ok: true,
      validations: { required: true, min: '0.5' },
    });
  });
});

describe('metafield filter values', () => {
  it('are canonical like stored values, and only for filterable types', () => {
    expect(searchValueOf('DECIMAL', '2.50')).toEqual({ ok: true, value: '2.5' });
    expect(searchValueOf('BOOLEAN', 'true')).toEqual({ ok: true, value: 'true' });
    expect(searchValueOf('JSON', '{}')).toMatchObject({ ok: false });
    expect(searchValueOf('MULTI_LINE_TEXT', 'a')).toMatchObject({ ok: false });
  });
});
