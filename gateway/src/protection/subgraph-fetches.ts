import pLimit, { type LimitFunction } from 'p-limit';

/** What the gateway asks of a subgraph's data source (@apollo/gateway's GraphQLDataSource). */
interface DataSource<Options extends { context: object }, Response> {
  process(options: Options): Promise<Response>;
}

/** Wraps a data source so that it takes turns with the other fetches of the same operation. */
export type FetchLimiter = <Options extends { context: object }, Response>(
  source: DataSource<Options, Response>,
) => DataSource<Options, Response>;

/**
 * Bounds the subgraph requests one operation has in flight at once. A query plan runs its fetches in
 * parallel where it can, one per aliased path: 500 aliases of a listing sent 500 subgraph requests
 * together, each holding a database connection, and the rest of the API waited for the pool
 * (TRY_AGAIN). Past the bound, an operation's next fetch waits for one of its own to finish,
 * holding nothing, so one request takes a bounded share of each subgraph's connections. A fetch
 * never waits for another fetch while it holds its turn, so the wait cannot deadlock.
 */
export function fetchesPerOperation(limit: number): FetchLimiter {
  // By the operation's context value: the same object for every fetch of one operation, whatever the subgraph.
  const turns = new WeakMap<object, LimitFunction>();
  return (source) => ({
    process(options) {
      let turn = turns.get(options.context);
      if (!turn) {
        turn = pLimit(limit);
        turns.set(options.context, turn);
      }
      return turn(() => source.process(options));
    },
  });
}
