// The reading of prisma/distribute.sql and the checks of its list, on sample scripts: a script
// Citus would reject, or one that leaves out, repeats or misorders a table, must not pass.
import { describe, expect, it } from 'vitest';
import { distributionProblems, listingProblems, readDistributionPlan } from './distribution-plan.js';

const GOOD = `-- create_reference_table('"Commented"') is not a call.
BEGIN;
SELECT create_reference_table('"Store"');
SELECT create_distributed_table('"StoreCounter"', 'storeId');
SELECT create_distributed_table('"Product"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table(
  '"ProductVariant"', 'storeId',
  colocate_with => '"StoreCounter"'
);
COMMIT;`;

const TABLES = ['Product', 'ProductVariant', 'Store', 'StoreCounter'];
const FOREIGN_KEYS = [
  { name: 'StoreCounter_storeId_fkey', table: 'StoreCounter', references: 'Store' },
  { name: 'ProductVariant_storeId_productId_fkey', table: 'ProductVariant', references: 'Product' },
];

describe('distribute.sql, read and checked', () => {
  it('reads each call with its line, kind, column and colocation', () => {
    const plan = readDistributionPlan(GOOD);
    expect(plan.problems).toEqual([]);
    expect(plan.tables).toEqual([
      { table: 'Store', kind: 'reference', line: 3 },
      { table: 'StoreCounter', kind: 'distributed', column: 'storeId', colocateWith: undefined, line: 4 },
      { table: 'Product', kind: 'distributed', column: 'storeId', colocateWith: 'StoreCounter', line: 5 },
      { table: 'ProductVariant', kind: 'distributed', column: 'storeId', colocateWith: 'StoreCounter', line: 6 },
    ]);
    expect(listingProblems(plan, TABLES, FOREIGN_KEYS)).toEqual([]);
    expect(distributionProblems(plan)).toEqual([]);
  });

  it('refuses arguments Citus would read differently', () => {
    const plan = readDistributionPlan(`SELECT create_reference_table('Store');
SELECT create_distributed_table('"Product"', 'storeId', 'hash');
SELECT create_distributed_table('"Order"', 'storeId', colocate_with => 'StoreCounter');`);
    expect(plan.problems).toEqual([
      `distribute.sql:1: 'Store' is not a quoted table name: write '"Name"' (a regclass literal folds an unquoted name to lower case)`,
      `distribute.sql:2: Product: unexpected argument 'hash' (only colocate_with => '"Table"')`,
      `distribute.sql:3: Order: colocate_with 'StoreCounter' is not a quoted table name: write '"Name"' (a regclass literal folds an unquoted name to lower case)`,
    ]);
  });

  it('finds tables missing, listed twice, not in the database or before a table they reference', () => {
    const plan = readDistributionPlan(`SELECT create_distributed_table('"StoreCounter"', 'storeId');
SELECT create_distributed_table('"ProductVariant"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Product"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Product"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_reference_table('"Gone"');`);
    expect(listingProblems(plan, TABLES, FOREIGN_KEYS)).toEqual([
      '"Product" is listed twice (lines 3 and 4)',
      '"Gone" (line 5) is not a table',
      '"Store" is missing',
      '"ProductVariant" (line 2) comes before "Product" (line 3), which ProductVariant_storeId_productId_fkey references',
    ]);
  });

  it('finds a table distributed by another column, or colocated elsewhere', () => {
    const plan =
      readDistributionPlan(`SELECT create_distributed_table('"Product"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"StoreCounter"', 'storeId');
SELECT create_distributed_table('"ProductVariant"', 'productId', colocate_with => '"Product"');
SELECT create_distributed_table('"Order"', 'storeId');`);
    expect(distributionProblems(plan)).toEqual([
      '"Product" (line 1) comes before "StoreCounter", its colocation anchor',
      `"ProductVariant" (line 3) is distributed by 'productId', not by storeId`,
      '"ProductVariant" (line 3) is colocated with "Product", not "StoreCounter"',
      '"Order" (line 4) is colocated with no table, not "StoreCounter"',
    ]);
  });
});
