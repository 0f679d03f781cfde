import { toGlobalId } from '@commerce/graphql-kit';
import { validationsFromJson } from '@commerce/metafields';
import type { MetafieldDefinitionResolvers } from '../__generated__/resolvers-types.js';

export const MetafieldDefinition: MetafieldDefinitionResolvers = {
  id: (definition) => toGlobalId('MetafieldDefinition', definition.id),
  validations: (definition) => {
    const validations = validationsFromJson(definition.validations);
    return { ...validations, required: validations.required ?? false };
  },
};
