// The floor: what any federated graph answering the benchmark's reads has to do, and nothing else.
// A bare Apollo Server with @apollo/gateway over the committed supergraph, its store and catalog
// subgraphs in the same process and called without a socket as the real all-in-one graph calls
// them, answering from memory: no database, authentication, cache, limits or plugins of ours.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildFloorCatalog } from './catalog-data.js';
import { absentSubgraph, inProcessFetcher } from './in-process-fetch.js';
import { floorCatalogSubgraph, floorStoreSubgraph } from './subgraphs.js';

export interface RunningFloor {
  /** The floor gateway's /graphql. */
  url: string;
  close(): Promise<void>;
}

/** Serves the floor on loopback (a free port), its catalog holding `products` products as seeded for the bench. */
export async function startFloor(products: number): Promise<RunningFloor> {
  const catalog = buildFloorCatalog(products);
  const subgraphs: Partial<Record<string, ApolloServer>> = {
    store: floorStoreSubgraph(catalog),
    catalog: floorCatalogSubgraph(catalog),
  };
  await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph?.start()));
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
    buildService: ({ name, url }) => {
      const subgraph = subgraphs[name];
      return new RemoteGraphQLDataSource({
        url,
        fetcher: subgraph ? inProcessFetcher(subgraph) : absentSubgraph(name),
      });
    },
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return {
    url: new URL('/graphql', url).href,
    async close() {
      await server.stop();
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph?.stop()));
    },
  };
}
