import { numberSetting } from '@commerce/database';

/**
 * How many worker processes serve (WEB_CONCURRENCY), `fallback` when unset: one worker per core
 * for `pnpm start`, 1 for a deployed service, whose replicas are its orchestrator's to scale.
 * 1 serves from the process itself, with no primary.
 */
export function workerCount(fallback: number): number {
  return numberSetting('WEB_CONCURRENCY', process.env.WEB_CONCURRENCY, fallback, { min: 1, max: 1024, whole: true });
}

/** The young generation of a graph worker of `pnpm start`, per semi-space, in MB. */
const GRAPH_WORKER_SEMI_SPACE_MB = 64;

/**
 * Node options for the worker processes that serve the whole graph in `pnpm start` (and in the
 * benchmark's graph, which runs as `pnpm start` does): a young generation of 2 × 64 MB rather than
 * V8's 2 × 16 MB. A cold listing builds its page several times over (rows, subgraph answers, JSON,
 * the gateway's merged answer); with the larger young generation fewer of those objects outlive a
 * scavenge and get copied into the old generation: about 9 % less CPU per listing with two workers
 * (README, "Benchmarks"). A semi-space size in NODE_OPTIONS or the primary's
 * own options wins; deployed services keep the image's small one, for memory (README, "Memory").
 */
export function graphWorkerNodeOptions(
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  primaryOptions: readonly string[] = process.execArgv,
): string[] {
  const sized = [nodeOptions, ...primaryOptions].some((options) => options.includes('--max-semi-space-size'));
  return sized ? [] : [`--max-semi-space-size=${GRAPH_WORKER_SEMI_SPACE_MB}`];
}
