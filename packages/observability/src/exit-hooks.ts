// Work that must be done before a process that stops on a signal calls process.exit: Node's
// 'beforeExit' never fires then, so spans still batched by the tracing SDK would be lost.
const hooks: Array<() => Promise<unknown>> = [];

/** Runs `hook` before a stopping process exits (see flushBeforeExit). */
export function beforeProcessExit(hook: () => Promise<unknown>): void {
  hooks.push(hook);
}

/** Runs the hooks given to beforeProcessExit, each at most `timeoutMs`; a failing hook is logged to stderr and the others still run. */
export async function flushBeforeExit(timeoutMs = 5_000): Promise<void> {
  await Promise.all(
    hooks
      .splice(0)
      .map((hook) =>
        Promise.race([hook(), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]).catch(
          (error: unknown) => console.error('flushing before exit failed:', error),
        ),
      ),
  );
}
