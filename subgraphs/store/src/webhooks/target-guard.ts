// Server-side request forgery: a webhook URL must not reach the platform's own network. Its host
// is checked when the webhook is saved and again before every attempt, after DNS resolution, and
// the attempt connects to the very address that was checked (a name that resolves elsewhere by
// then, as in DNS rebinding, gains nothing).
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { WebhookSettings } from './settings.js';

/** Resolves a host name to its addresses (the system's resolver unless a test gives another). */
export interface AddressResolver {
  lookup(hostname: string): Promise<Array<{ address: string; family: 4 | 6 }>>;
}

/** The system's resolver (getaddrinfo, as an HTTP client would use). */
export const systemResolver: AddressResolver = {
  async lookup(hostname) {
    const found = await dns.lookup(hostname, { all: true, verbatim: true });
    return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
  },
};

const IPV4_BLOCKED: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'an unspecified'],
  ['10.0.0.0', 8, 'a private'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'a loopback'],
  ['169.254.0.0', 16, 'a link-local'],
  ['172.16.0.0', 12, 'a private'],
  ['192.0.0.0', 24, 'a reserved'],
  ['192.0.2.0', 24, 'a documentation'],
  ['192.168.0.0', 16, 'a private'],
  ['198.18.0.0', 15, 'a benchmarking'],
  ['198.51.100.0', 24, 'a documentation'],
  ['203.0.113.0', 24, 'a documentation'],
  ['224.0.0.0', 4, 'a multicast'],
  ['240.0.0.0', 4, 'a reserved'],
];

function ipv4Number(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function ipv4Kind(address: string): string | null {
  const value = ipv4Number(address);
  for (const [base, bits, kind] of IPV4_BLOCKED) {
    const size = 2 ** (32 - bits);
    const start = ipv4Number(base);
    if (value >= start && value < start + size) return kind;
  }
  return null;
}

/** An IPv6 address as its eight 16-bit groups (an embedded dotted IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  let text = address
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const value = ipv4Number(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => Number.parseInt(group, 16) || 0);
}

function ipv6Kind(address: string): string | null {
  const groups = ipv6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  const zeroHead = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroHead && g5 === 0xffff) return ipv4Kind(embedded); // IPv4-mapped
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4Kind(embedded); // NAT64
  if (zeroHead && g5 === 0 && g6 === 0 && g7 === 1) return 'a loopback';
  if (zeroHead && g5 === 0) return 'an unspecified or IPv4-compatible';
  if ((g0 & 0xfe00) === 0xfc00) return 'a private (unique local)';
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return 'a link-local';
  if ((g0 & 0xff00) === 0xff00) return 'a multicast';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'a documentation';
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'a discard';
  return null;
}

/** What kind of non-public address this is ("a loopback", "a private", …), or null for a public one. */
export function nonPublicAddressKind(address: string): string | null {
  const version = isIP(address.replace(/^\[|\]$/g, ''));
  if (version === 4) return ipv4Kind(address);
  if (version === 6) return ipv6Kind(address);
  return 'an unparsable';
}

function isLoopback(address: string): boolean {
  return nonPublicAddressKind(address) === 'a loopback';
}

/** Why a target may not be used, for the webhook's owner to act on. */
export class TargetNotAllowedError extends Error {}

/** A webhook URL, parsed and checked for its form (scheme, credentials); its addresses are checked apart. */
export interface WebhookTarget {
  url: URL;
  /** The host without IPv6 brackets. */
  host: string;
}

/** Checks a URL's form: https (or http to loopback where allowed), no credentials. Throws TargetNotAllowedError. */
export function readTarget(text: string, settings: WebhookSettings): WebhookTarget {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new TargetNotAllowedError('Give an absolute URL, e.g. https://example.com/webhooks.');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.username || url.password)
    throw new TargetNotAllowedError('Leave credentials out of the URL; verify webhook-signature instead.');
  if (url.protocol === 'http:') {
    const loopback = host === 'localhost' || (isIP(host) !== 0 && isLoopback(host));
    if (!settings.allowHttpLoopback || !loopback)
      throw new TargetNotAllowedError(
        'Use an https URL (plain http is accepted only to a loopback address, in development).',
      );
  } else if (url.protocol !== 'https:') {
    throw new TargetNotAllowedError('Use an https URL.');
  }
  return { url, host };
}

/**
 * The addresses to connect to for a target, each checked: throws TargetNotAllowedError when the
 * host is, or resolves to, a private, loopback or link-local address (unless the settings allow
 * them) or does not resolve at all.
 */
export async function checkedAddresses(
  target: WebhookTarget,
  settings: WebhookSettings,
  resolver: AddressResolver,
): Promise<Array<{ address: string; family: 4 | 6 }>> {
  const literal = isIP(target.host);
  let addresses: Array<{ address: string; family: 4 | 6 }>;
  if (literal !== 0) addresses = [{ address: target.host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await resolver.lookup(target.host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'no answer';
      throw new TargetNotAllowedError(`The host ${target.host} does not resolve (${code}).`);
    }
    if (addresses.length === 0) throw new TargetNotAllowedError(`The host ${target.host} does not resolve.`);
  }
  if (!settings.allowPrivateTargets) {
    for (const { address } of addresses) {
      const kind = nonPublicAddressKind(address);
      if (kind)
        throw new TargetNotAllowedError(
          `The host ${target.host} is ${kind} address (${address}); webhooks are sent to public addresses only.`,
        );
    }
  }
  return addresses;
}
