// Composes the five subgraph SDLs into schema/supergraph.graphql and the client-facing
// schema/api.graphql. `--check` fails when the committed files are stale.
import { composeSupergraph, SUBGRAPH_NAMES } from './supergraph.js';

const check = process.argv.includes('--check');
const result = composeSupergraph(check ? 'check' : 'write');
if (!result.ok) {
  console.error(result.errors.join('\n'));
  process.exit(1);
}
console.log(
  `${check ? 'checked' : 'composed'} ${SUBGRAPH_NAMES.length} subgraphs${result.stale ? ' (stale files)' : ''}`,
);
if (check && result.stale) process.exit(1);
