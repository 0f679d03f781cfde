// Checkouts of one process take turns for database connections here rather than in the pool: a
// burst of checkouts then waits in line (holding no connection) instead of failing when the pool
// cannot start their transactions in time, and leaves connections for the reads of other requests.
// More checkout transactions at once would not go faster anyway: a store's checkouts commit one
// after another (they take the store's counter row).

/** Checkout transactions a process runs at once: the pool's connections (DATABASE_POOL_SIZE) but two. */
const LIMIT = Math.max(1, Number(process.env.DATABASE_POOL_SIZE ?? 10) - 2);

let running = 0;
const waiting: (() => void)[] = [];

/** Runs a checkout when it is its turn. */
export async function inCheckoutLine<T>(work: () => Promise<T>): Promise<T> {
  if (running >= LIMIT) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, or is given back.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}
