// The gateway keeps the supergraph's schema, and the schema keeps every node it was built from. Parsed
// with source locations, each node would also hold its place in the text and, through it, every
// token of the supergraph: about 5 MB of the gateway's idle heap. The patch in patches/ parses it
// without them; this checks it is applied, and that the gateway still plans over that schema.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { SCHEMA_DIRECTORY } from '@commerce/graphql-kit';
import { describe, expect, it } from 'vitest';

interface KeptSchema {
  type(name: string): { sourceAST?: { loc?: unknown } } | undefined;
}

describe("the gateway's supergraph", () => {
  it('is held without source locations, and planned over', async () => {
    const gateway = new ApolloGateway({ supergraphSdl: readFileSync(`${SCHEMA_DIRECTORY}supergraph.graphql`, 'utf8') });
    const { schema } = await gateway.load();
    try {
      const kept = (gateway as unknown as { queryPlanner: { supergraph: { schema: KeptSchema } } }).queryPlanner
        .supergraph.schema;
      const product = kept.type('Product');
      expect(product?.sourceAST).toBeDefined();
      expect(product?.sourceAST?.loc).toBeUndefined();
      expect(schema.getQueryType()?.getFields().store).toBeDefined();
    } finally {
      await gateway.stop();
    }
  });
});
