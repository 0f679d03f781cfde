// A DataLoader whose primed values can be had at once. A listing reads its page's variants, images
// and stock in its own statement and primes the loaders with them; a resolver that loads one of
// them through DataLoader still gets a promise, and graphql-js then builds every field of the page's
// objects through promises (a promise per field, its microtask, and Node 20's AsyncLocalStorage
// hooks on each). With `now` a resolver answers a primed value as a value, and falls back to the
// batched load for anything else.
import DataLoader from 'dataloader';

/** A value now, or a promise of it: what a resolver may return. */
export type Eventually<T> = T | Promise<T>;

/** Applies `map` to a value now, or once its promise settles. */
export function andThen<T, R>(value: Eventually<T>, map: (value: T) => R): Eventually<R> {
  return value instanceof Promise ? value.then(map) : map(value);
}

export class PrimedLoader<K, V> extends DataLoader<K, V> {
  private readonly primed = new Map<K, V>();
  private readonly asked = new Set<K>();

  /** As DataLoader's: ignored for a key already loaded or primed, so `now` agrees with `load`. */
  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!this.asked.has(key) && !this.primed.has(key) && !(value instanceof Error) && !isPromiseLike(value)) {
      this.primed.set(key, value);
    }
    this.asked.add(key);
    return super.prime(key, value);
  }

  override load(key: K): Promise<V> {
    this.asked.add(key);
    return super.load(key);
  }

  override clear(key: K): this {
    this.primed.delete(key);
    this.asked.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.primed.clear();
    this.asked.clear();
    return super.clearAll();
  }

  /** The key's primed value at once, else what `load` answers. */
  now(key: K): Eventually<V> {
    return this.primed.has(key) ? (this.primed.get(key) as V) : this.load(key);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
