type Waiter<T> = { resolve(result: IteratorResult<T>): void; reject(error: unknown): void };

/**
 * An async iterator fed by pushes: values wait in order until they are read, and a reader waits
 * until a value or the end arrives. Ending with an error hands the queued values out first, then
 * the error. The one queue behind subscriptions' results and store event streams.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private waiting: Waiter<T> | null = null;
  private failure: unknown = null;
  private ended = false;

  /** Values pushed and not read yet. */
  get size(): number {
    return this.values.length;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Queues a value, or hands it to the waiting reader; nothing once ended. */
  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    this.values.push(value);
  }

  /** Ends after what is queued, with an error for the reader if given. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      if (error) waiting.reject(error);
      else waiting.resolve({ value: undefined, done: true });
    } else if (error) {
      this.failure = error;
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.values.length > 0) return Promise.resolve({ value: this.values.shift() as T, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** The reader stops: what is queued is dropped. */
  return(): Promise<IteratorResult<T>> {
    this.values.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.values.length = 0;
    this.end();
    return Promise.reject(error);
  }
}
