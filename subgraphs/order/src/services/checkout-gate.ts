// Checkouts of one process take turns here rather than in the database. A store's checkouts commit
// one after another (each takes the store's counter row, for gap-free order numbers), so more of
// them at once in one store do not go faster: they wait in PostgreSQL holding their cart and stock
// rows, make PostgreSQL spend CPU on lock waits, and keep the event loop busy while the checkout
// that holds the counter waits for its COMMIT to be sent. A burst waits in line holding no
// connection, and connections stay free for the reads of other requests. What the limits were
// measured to save is in the README (Checkout); the limits are OrderSettings'.

/** A line with a number of counters: work waits for a free one, first come, first served. */
class Line {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Nobody at a counter and nobody waiting. */
  get idle(): boolean {
    return this.running === 0 && this.waiting.length === 0;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      // The counter passes straight to the next in line, or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** A line per store, behind one for the process. */
export class CheckoutLines {
  private readonly stores = new Map<string, Line>();
  private readonly process: Line;

  constructor(
    processLimit: number,
    private readonly storeLimit: number,
  ) {
    this.process = new Line(processLimit);
  }

  /** Runs work when it is its turn in its store, then in the process. */
  async run<T>(storeId: string, work: () => Promise<T>): Promise<T> {
    let line = this.stores.get(storeId);
    if (!line) {
      line = new Line(this.storeLimit);
      this.stores.set(storeId, line);
    }
    try {
      return await line.run(() => this.process.run(work));
    } finally {
      if (line.idle && this.stores.get(storeId) === line) this.stores.delete(storeId);
    }
  }
}
