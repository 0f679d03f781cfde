// A cached answer is written from the JSON the cache keeps with its data, not serialized again for
// every hit; what clients receive must be the very text Apollo Server's own serialization gives.
import { HeaderMap } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { GraphQLRequestRecord } from '@commerce/graphql-kit';
import { StorefrontResponseCache, stringifyWithCachedData } from '../src/response-cache.js';

/** Apollo Server's default stringifyResult (runHttpQuery's prettyJSONStringify). */
const apolloText = (result: object) => `${JSON.stringify(result)}\n`;

function cacheHolding(data: Record<string, unknown>): StorefrontResponseCache {
  const cache = new StorefrontResponseCache(60_000, 100);
  // Trusted as it is once it follows the bus and the relay makes passes.
  cache.isActive = () => true;
  cache.set('key', 'store', cache.generation('store'), data);
  return cache;
}

const DATA = {
  store: {
    products: {
      edges: [
        {
          cursor: 'YQ',
          node: { title: 'Chemise "lin" \u00e9t\u00e9 \u2028', price: { amount: '10.00' }, tags: [], note: null },
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: 'YQ' },
    },
  },
};
const EXTENSIONS = {
  cost: { requestedQueryCost: 16, actualQueryCost: 12, throttleStatus: { currentlyAvailable: 1988 } },
};

describe("the gateway's answer text", () => {
  it("is Apollo Server's for a cached answer's data, with and without extensions, and stays so on later hits", () => {
    const cache = cacheHolding(DATA);
    const stringify = stringifyWithCachedData(cache);
    for (const result of [
      { data: DATA, extensions: EXTENSIONS },
      { data: DATA },
      { data: DATA, extensions: EXTENSIONS },
    ])
      expect(stringify(result)).toBe(apolloText(result));
    expect(cache.serializedData(DATA)).toEqual({
      json: JSON.stringify(DATA),
      bytes: Buffer.from(JSON.stringify(DATA)),
    });
  });

  it('is handed to the server as its UTF-8 bytes for a cached answer, and as text only otherwise', async () => {
    const stringify = stringifyWithCachedData(cacheHolding(DATA));
    const record = new GraphQLRequestRecord('gateway', new HeaderMap());
    const hit = { data: DATA, extensions: EXTENSIONS };
    const text = await record.run(async () => stringify(hit));
    const bytes = record.body(text);
    expect(Array.isArray(bytes) && Buffer.concat(bytes)).toEqual(Buffer.from(apolloText(hit), 'utf8'));
    // Bytes are written only for the text they were made for.
    const altered = text.replace('"requestedQueryCost":16', '"requestedQueryCost":61');
    expect(altered).not.toBe(text);
    expect(record.body(altered)).toBe(altered);
    const other = new GraphQLRequestRecord('gateway', new HeaderMap());
    const miss = { data: { store: { name: 'Other' } } };
    const missText = await other.run(async () => stringify(miss));
    expect(other.body(missText)).toBe(apolloText(miss));
  });

  it("is Apollo Server's for data the cache does not hold, errors, and answers without data", () => {
    const stringify = stringifyWithCachedData(cacheHolding(DATA));
    const other = { store: { name: 'Other' } };
    const error = { message: 'Throttled', extensions: { code: 'THROTTLED' } };
    for (const result of [
      { data: other, extensions: EXTENSIONS },
      { errors: [error], data: DATA, extensions: EXTENSIONS },
      { errors: [error] },
      { data: null, errors: [error] },
    ])
      expect(stringify(result)).toBe(apolloText(result));
    expect(cacheHolding(DATA).serializedData(other)).toBeUndefined();
  });
});
