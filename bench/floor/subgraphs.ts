// The floor's subgraphs: the project's own store and catalog SDLs (so the gateway plans the reads
// exactly as for the real graph) with resolvers that only hand back the in-memory catalog. The
// other three subgraphs are not built: the reads' query plans do not reach them.
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';
import { type Connection, type FloorCatalog, type FloorProduct, productPage, searchMatches } from './catalog-data.js';

const SCHEMA_DIRECTORY = new URL('../../schema/', import.meta.url);

function sdl(name: string) {
  return parse(readFileSync(new URL(`${name}.graphql`, SCHEMA_DIRECTORY), 'utf8'));
}

interface ProductsArguments {
  first?: number | null;
  filter?: { query?: string | null } | null;
}

function server(name: string, resolvers: GraphQLResolverMap<unknown>): ApolloServer {
  return new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: sdl(name), resolvers }),
    // The real subgraphs turn these two off as well: left on, the cache-control plugin would wrap
    // every resolver, a cost the floor would carry and the real graph does not.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
}

/** The store subgraph: `store` is the one bench store, whatever the request. */
export function floorStoreSubgraph(catalog: FloorCatalog): ApolloServer {
  const store = { id: catalog.storeId };
  return server('store', { Query: { store: () => store } });
}

/** The catalog subgraph: the bench store's products, listed, searched and found by handle. */
export function floorCatalogSubgraph(catalog: FloorCatalog): ApolloServer {
  // Each page is built on its first request and kept: the floor's resolvers do no work per request.
  const pages = new Map<string, Connection<FloorProduct>>();
  const products = (_store: unknown, { first, filter }: ProductsArguments) => {
    const size = first ?? 20;
    const query = filter?.query ?? '';
    const key = `${size}:${query}`;
    let page = pages.get(key);
    if (!page) {
      page = productPage(query ? searchMatches(catalog, query) : catalog.byCreation, size);
      pages.set(key, page);
    }
    return page;
  };
  return server('catalog', {
    Store: {
      __resolveReference: (reference: { id: string }) => reference,
      products,
      product: (_store: unknown, { handle }: { handle?: string | null }) => catalog.byHandle.get(handle ?? '') ?? null,
    },
  });
}
