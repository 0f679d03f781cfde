import { promises as dns } from 'node:dns';

/** Looks up DNS TXT records; the store subgraph verifies custom domains through it. */
export interface DnsResolver {
  /** The TXT records at a name, each as its character strings; [] when the name has none. */
  resolveTxt(name: string): Promise<string[][]>;
}

/** DNS did not answer (timeout, server failure): the caller may try again later. */
export class DnsLookupError extends Error {}

// Answers that mean "there is no such record", as opposed to "DNS could not be asked".
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND', 'ENONAME']);

/** The real resolver: the system's DNS servers through node:dns, with a bounded wait. */
export function nodeDnsResolver(options: { timeoutMs?: number; tries?: number } = {}): DnsResolver {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 3_000, tries: options.tries ?? 2 });
  return {
    async resolveTxt(name) {
      try {
        return await resolver.resolveTxt(name);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (NO_RECORD.has(code)) return [];
        throw new DnsLookupError(`DNS lookup of ${name} failed (${code || 'unknown error'})`, { cause: error });
      }
    },
  };
}
