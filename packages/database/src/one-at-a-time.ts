// Work on one node-postgres connection, one piece after another: the background workers' own
// connections (the outbox relay's, the analytics consumer's, the webhook dispatcher's) take a
// transaction or a read at a time. node-postgres queues a query sent while another runs only with
// a deprecation warning, and its next major version refuses it; and a transaction's statements
// must not interleave with another's.

/** Runs the work given to it one piece at a time, in order; a failed piece does not stop the next. */
export class OneAtATime {
  private last: Promise<unknown> = Promise.resolve();

  /** Runs `work` once everything given before has settled; resolves or rejects as it does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.last.then(work);
    this.last = run.catch(() => undefined);
    return run;
  }

  /** Resolves once everything given so far has settled. */
  async settled(): Promise<void> {
    await this.last;
  }
}
