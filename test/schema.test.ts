import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../codegen.js';
import { composeSupergraph, SUBGRAPH_NAMES } from '../scripts/supergraph.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the composed schema', () => {
  it('composes all five subgraphs, and the committed supergraph and API schema are current (pnpm compose)', () => {
    const result = composeSupergraph('memory');
    if (!result.ok) throw new Error(result.errors.join('\n'));
    for (const name of SUBGRAPH_NAMES) expect(result.supergraph).toContain(`name: "${name}"`);
    expect(readFileSync(`${root}schema/supergraph.graphql`, 'utf8')).toBe(result.supergraph);
    expect(readFileSync(`${root}schema/api.graphql`, 'utf8')).toBe(result.api);
  });

  it("passes graphql-schema-linter's Relay and description rules", () => {
    const rules = [
      'relay-connection-types-spec',
      'relay-connection-arguments-spec',
      'relay-page-info-spec',
      'types-have-descriptions',
      'fields-have-descriptions',
      'arguments-have-descriptions',
      'enum-values-have-descriptions',
      'input-object-values-have-descriptions',
      'defined-types-are-used',
    ];
    const run = spawnSync(
      'pnpm',
      ['exec', 'graphql-schema-linter', '--format', 'compact', '--rules', rules.join(','), 'schema/api.graphql'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('the generated resolver types and client documents are current (pnpm codegen)', async () => {
    const outputs = await generate({ ...codegenConfig, cwd: root, silent: true }, false);
    for (const output of outputs) {
      expect(readFileSync(`${root}${output.filename}`, 'utf8'), `${output.filename} is stale: run pnpm codegen`).toBe(
        output.content,
      );
    }
    for (const name of SUBGRAPH_NAMES)
      expect(outputs.map((output: { filename: string }) => output.filename)).toContain(
        `subgraphs/${name}/src/__generated__/resolvers-types.ts`,
      );
  });
});
