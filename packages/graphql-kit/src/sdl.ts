import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';

/** The repository's schema/ folder, where each subgraph's SDL and the composed schemas live. */
export const SCHEMA_DIRECTORY = fileURLToPath(new URL('../../../schema/', import.meta.url));

/** Parses schema/<name>.graphql. */
export function loadSubgraphSdl(name: string): DocumentNode {
  return parse(readFileSync(`${SCHEMA_DIRECTORY}${name}.graphql`, 'utf8'));
}
