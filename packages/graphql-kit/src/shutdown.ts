import { numberSetting } from '@commerce/database';
import { flushBeforeExit } from '@commerce/observability';

/** How long a stopping process lets requests in flight finish, by default. */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 25;

/** What a stop may take beyond the grace (closing sockets, the relay's last batch, the database) before the process exits anyway. */
const SHUTDOWN_MARGIN_MS = 10_000;

/** The drain's grace in milliseconds (SHUTDOWN_GRACE_SECONDS, default 25; 0 cuts requests in flight at once). */
export function shutdownGraceMs(): number {
  return (
    numberSetting('SHUTDOWN_GRACE_SECONDS', process.env.SHUTDOWN_GRACE_SECONDS, DEFAULT_SHUTDOWN_GRACE_SECONDS, {
      max: 3600,
    }) * 1000
  );
}

/**
 * Runs `stop` on the first SIGINT or SIGTERM (Ctrl-C reaches every process of the terminal's group,
 * so one may come twice: the repeat is ignored) and exits with 0 when it is done, or with 1 if it
 * failed or has not ended within the grace and a margin.
 */
export function onStopSignals(stop: () => Promise<void>, graceMs: number): void {
  let stopping = false;
  const handle = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      console.error(`stopping took longer than ${(graceMs + SHUTDOWN_MARGIN_MS) / 1000} s: exiting now`);
      process.exit(1);
    }, graceMs + SHUTDOWN_MARGIN_MS).unref();
    stop().then(
      // Spans still batched by the tracing SDK are sent before the process exits.
      () => flushBeforeExit().then(() => process.exit(0)),
      (error: unknown) => {
        console.error('stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
