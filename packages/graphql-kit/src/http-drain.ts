import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * The requests an HTTP server is answering, and its drain when the process stops: readiness turns
 * 503, the listening socket closes (new connections are refused), idle keep-alive connections are
 * closed, responses still being written end with `Connection: close`, and the drain resolves once
 * none is left or the grace has passed.
 */
export class HttpDrain {
  /** Responses not yet ended. */
  private readonly active = new Set<ServerResponse>();
  private readonly idle: Array<() => void> = [];
  private draining: Promise<boolean> | null = null;

  constructor(private readonly server: Server) {
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
      this.active.add(response);
      if (this.draining) response.setHeader('connection', 'close');
      response.once('close', () => {
        this.active.delete(response);
        // The connection of a response that has just ended is idle now: closed, not kept for reuse.
        if (this.draining) server.closeIdleConnections();
        if (this.active.size === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    });
  }

  /** Whether the server is draining: /readyz answers 503 from the first moment. */
  get isDraining(): boolean {
    return this.draining !== null;
  }

  /** Starts the drain (once; later calls wait for the same one); resolves with whether every request finished within graceMs. */
  drain(graceMs: number): Promise<boolean> {
    this.draining ??= this.start(graceMs);
    return this.draining;
  }

  private async start(graceMs: number): Promise<boolean> {
    // close() stops listening and, since Node 19, closes the connections that are idle now.
    if (this.server.listening) this.server.close();
    this.server.closeIdleConnections();
    // Answers still to come tell their clients not to reuse the connection.
    for (const response of this.active) if (!response.headersSent) response.setHeader('connection', 'close');
    if (this.active.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      new Promise<boolean>((resolve) => this.idle.push(() => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    return finished;
  }
}
