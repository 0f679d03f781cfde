import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';

/** The repository's schema/ folder, where each subgraph's SDL and the composed schemas live. */
export const SCHEMA_DIRECTORY = fileURLToPath(new URL('../../../schema/', import.meta.url));

/**
 * Parses schema/<name>.graphql, without the source locations: the schema built from it keeps each
 * node, and with locations every node would hold its place in the file and every token of it.
 */
export function loadSubgraphSdl(name: string): DocumentNode {
  return parse(readFileSync(`${SCHEMA_DIRECTORY}${name}.graphql`, 'utf8'), { noLocation: true });
}
