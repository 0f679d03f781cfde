import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse, printSchema, lexicographicSortSchema } from 'graphql';

export const SUBGRAPH_NAMES = ['store', 'catalog', 'customer', 'order', 'analytics'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const schemaDirectory = fileURLToPath(new URL('../schema/', import.meta.url));

/** Placeholder URLs baked into the supergraph; the gateway overrides them from its configuration. */
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  store: 4001,
  catalog: 4002,
  customer: 4003,
  order: 4004,
  analytics: 4005,
};

export type ComposeResult =
  | { ok: true; supergraph: string; api: string; stale: boolean }
  | { ok: false; errors: string[] };

/** Composes the subgraph SDLs; 'write' updates the committed files, 'check' only compares them. */
export function composeSupergraph(mode: 'write' | 'check' | 'memory' = 'memory'): ComposeResult {
  const services = SUBGRAPH_NAMES.map((name) => ({
    name,
    url: `http://localhost:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`,
    typeDefs: parse(readFileSync(`${schemaDirectory}${name}.graphql`, 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((error) => error.message) };
  const supergraph = result.supergraphSdl;
  const api = `${printSchema(lexicographicSortSchema(result.schema.toAPISchema().toGraphQLJSSchema()))}\n`;
  const files = { 'supergraph.graphql': supergraph, 'api.graphql': api };
  let stale = false;
  for (const [file, text] of Object.entries(files)) {
    let current = '';
    try {
      current = readFileSync(`${schemaDirectory}${file}`, 'utf8');
    } catch {
      stale = true;
    }
    if (current !== text) stale = true;
    if (mode === 'write') writeFileSync(`${schemaDirectory}${file}`, text);
  }
  return { ok: true, supergraph, api, stale };
}
