import { toGlobalId } from '@commerce/graphql-kit';
import type { ProductOptionResolvers } from '../__generated__/resolvers-types.js';
import { optionName, optionValues } from '../services/translated-fields.js';
import { translationsOf } from '../services/translation.service.js';

export const ProductOption: ProductOptionResolvers = {
  id: (option) => toGlobalId('ProductOption', option.id),
  name: (option, _args, context) => optionName(context, option),
  values: (option, _args, context) => optionValues(context, option),
  translations: (option, { locale }, context) => translationsOf(context, option.id, locale),
};
