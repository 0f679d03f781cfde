/** The subgraphs the gateway routes to, by the names in the supergraph. */
export const SUBGRAPHS = ['store', 'catalog', 'customer', 'order', 'analytics'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/** Default port of each subgraph when run as its own process. */
export const SUBGRAPH_PORTS: Record<SubgraphName, number> = { store: 4001, catalog: 4002, customer: 4003, order: 4004, analytics: 4005 };

/** The environment variable that overrides a subgraph's URL at the gateway, e.g. CATALOG_SUBGRAPH_URL. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `${name.toUpperCase()}_SUBGRAPH_URL`;
}

/** Subgraph URLs from the environment, defaulting to localhost on the default ports. */
export function subgraphUrlsFromEnvironment(): Record<SubgraphName, string> {
  return Object.fromEntries(
    SUBGRAPHS.map((name) => [name, process.env[subgraphUrlVariable(name)] ?? `http://127.0.0.1:${SUBGRAPH_PORTS[name]}/graphql`]),
  ) as Record<SubgraphName, string>;
}
