// The loader a listing primes: a primed key is answered at once (no promise for graphql-js to wait
// on), anything else through the batched load, and it never answers other than DataLoader would.
import { describe, expect, it } from 'vitest';
import { andThen, PrimedLoader } from '../src/primed-loader.js';

function loader() {
  const batches: string[][] = [];
  const load = new PrimedLoader<string, string>(async (keys) => {
    batches.push([...keys]);
    return keys.map((key) => `loaded ${key}`);
  });
  return { load, batches };
}

describe('PrimedLoader', () => {
  it('answers a primed key at once, and batches the others in one load', async () => {
    const { load, batches } = loader();
    load.prime('a', 'primed a');
    expect(load.now('a')).toBe('primed a');
    const [b, c] = [load.now('b'), load.now('c')];
    expect(b).toBeInstanceOf(Promise);
    expect(await Promise.all([b, c])).toEqual(['loaded b', 'loaded c']);
    expect(await load.load('a')).toBe('primed a');
    expect(batches).toEqual([['b', 'c']]);
  });

  it('keeps what was loaded or primed first, as DataLoader does', async () => {
    const { load } = loader();
    await load.load('a');
    load.prime('a', 'primed later');
    expect(await load.now('a')).toBe('loaded a');
    load.prime('b', 'first');
    load.prime('b', 'second');
    expect(load.now('b')).toBe('first');
    expect(await load.load('b')).toBe('first');
  });

  it('forgets a cleared key, and does not answer a primed error or promise at once', async () => {
    const { load } = loader();
    load.prime('a', 'primed a');
    load.clear('a');
    expect(await load.now('a')).toBe('loaded a');
    load.prime('e', new Error('gone'));
    await expect(load.now('e')).rejects.toThrow('gone');
    load.prime('p', Promise.resolve('promised'));
    const promised = load.now('p');
    expect(promised).toBeInstanceOf(Promise);
    expect(await promised).toBe('promised');
    load.prime('x', 'primed x');
    load.clearAll();
    expect(load.now('x')).toBeInstanceOf(Promise);
  });
});

describe('andThen', () => {
  it('maps a value at once and a promise when it settles', async () => {
    expect(andThen(2, (value) => value * 10)).toBe(20);
    const later = andThen(Promise.resolve(3), (value) => value * 10);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(30);
  });
});
