import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchema, getNamedType, isObjectType } from 'graphql';
import { SCHEMA_DIRECTORY } from '@commerce/graphql-kit';
import { costModelFromSupergraph } from '../src/protection/cost-model.js';

const model = costModelFromSupergraph(readFileSync(`${SCHEMA_DIRECTORY}supergraph.graphql`, 'utf8'));
const api = buildSchema(readFileSync(`${SCHEMA_DIRECTORY}api.graphql`, 'utf8'));

describe('the cost model of the supergraph', () => {
  it('sizes every connection by first/last, so none is costed as a single object', () => {
    const connections = Object.values(api.getTypeMap())
      .filter(isObjectType)
      .flatMap((type) =>
        Object.values(type.getFields()).map((field) => ({ coordinate: `${type.name}.${field.name}`, field })),
      )
      .filter(({ field }) => getNamedType(field.type).name.endsWith('Connection'));
    expect(connections.length).toBeGreaterThan(5);
    for (const { coordinate } of connections) {
      expect(model.listSizes.get(coordinate), coordinate).toEqual({
        assumedSize: 20,
        slicingArguments: ['first', 'last'],
        sizedFields: ['edges', 'nodes'],
      });
    }
  });

  it('weighs the parts of a row (edges, page info, money) 0', () => {
    expect(model.typeWeights.get('ProductEdge')).toBe(0);
    expect(model.typeWeights.get('PageInfo')).toBe(0);
    expect(model.typeWeights.get('Money')).toBe(0);
    expect(model.typeWeights.get('Product')).toBeUndefined();
  });
});
