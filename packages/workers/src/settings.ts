import { numberSetting } from '@commerce/database';

/**
 * How many worker processes serve (WEB_CONCURRENCY), `fallback` when unset: one worker per core
 * for `pnpm start`, 1 for a deployed service, whose replicas are its orchestrator's to scale.
 * 1 serves from the process itself, with no primary.
 */
export function workerCount(fallback: number): number {
  return numberSetting('WEB_CONCURRENCY', process.env.WEB_CONCURRENCY, fallback, { min: 1, max: 1024, whole: true });
}
