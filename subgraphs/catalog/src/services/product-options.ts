import type { Product, ProductOption, ProductVariant, Transaction } from '@commerce/database';
import type { InputErrors } from '@commerce/graphql-kit';
import { at, combinationKey, variantTitle, type OptionDraft, type SelectedOptionValue } from './product-input.js';
import type { ProductErrorCode } from '../__generated__/resolvers-types.js';

/** A variant's stored option values ([{ name, value }] in option order). */
export function selectedOptions(variant: Pick<ProductVariant, 'selectedOptions'>): SelectedOptionValue[] {
  const stored = Array.isArray(variant.selectedOptions) ? variant.selectedOptions : [];
  return stored.flatMap((entry) =>
    typeof entry === 'object' &&
    entry !== null &&
    !Array.isArray(entry) &&
    typeof entry.name === 'string' &&
    typeof entry.value === 'string'
      ? [{ name: entry.name, value: entry.value }]
      : [],
  );
}

/** A product's options as stored, in position order. */
export async function storedOptions(tx: Transaction, product: Pick<Product, 'storeId' | 'id'>): Promise<OptionDraft[]> {
  const options: ProductOption[] = await tx.productOption.findMany({
    where: { storeId: product.storeId, productId: product.id },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
  });
  return options.map((option) => ({ name: option.name, values: option.values }));
}

/** A variant's new option values and title after its product's options changed. */
export interface ReshapedVariant {
  id: string;
  selectedOptions: SelectedOptionValue[];
  title: string;
}

/**
 * What the variants become under new options: each keeps its value of every option that stays,
 * takes the first value of a new option and drops a removed one. Adds IN_USE when a variant's
 * value is no longer offered and DUPLICATE when two variants would end up alike; returns the
 * variants that change.
 */
export function reshapeVariants(
  errors: InputErrors<ProductErrorCode>,
  options: readonly OptionDraft[],
  variants: readonly Pick<ProductVariant, 'id' | 'title' | 'selectedOptions'>[],
): ReshapedVariant[] {
  const reported = new Set<string>();
  const seen = new Map<string, string>();
  const changed: ReshapedVariant[] = [];
  for (const variant of variants) {
    const current = selectedOptions(variant);
    const next = options.map((option, i) => {
      const value = current.find((entry) => entry.name === option.name)?.value;
      if (value !== undefined && !option.values.includes(value) && !reported.has(`${i}:${value}`)) {
        reported.add(`${i}:${value}`);
        errors.add(
          at('options', i, 'values'),
          `Variant "${variant.title}" has ${option.name} "${value}"; keep the value, or change or delete that variant first.`,
          'IN_USE',
        );
      }
      return { name: option.name, value: value ?? option.values[0] ?? '' };
    });
    const key = combinationKey(next);
    const twin = seen.get(key);
    if (twin !== undefined) {
      errors.add(
        at('options'),
        `Variants "${twin}" and "${variant.title}" would have the same option values; change or delete one of them first.`,
        'DUPLICATE',
      );
    }
    seen.set(key, variant.title);
    if (JSON.stringify(next) !== JSON.stringify(current))
      changed.push({ id: variant.id, selectedOptions: next, title: variantTitle(next) });
  }
  return changed;
}
