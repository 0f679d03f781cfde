import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { StoreDomain } from '@commerce/database';
import {
  forgetStoreResolutions,
  isCustomDomainCandidate,
  isUniqueViolation,
  keyOf,
  notFound,
  requirePermission,
  toGlobalId,
  userError,
  type UserError,
} from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import { DnsLookupError } from '../dns-resolver.js';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

export interface DomainResult {
  domain: StoreDomain | null;
  userErrors: UserError<StoreErrorCode>[];
}

/** More than this many domains per store is surely a mistake (or hostname squatting). */
const MAX_DOMAINS_PER_STORE = 20;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A hostname as stored: lower-case, without a trailing dot, international names in their ASCII
 * (punycode) form; null when it is not a public hostname a store could serve.
 */
export function normalizeHostname(input: string): string | null {
  const trimmed = input.trim().toLowerCase().replace(/\.$/, '');
  if (trimmed === '' || /[/:@?#\s]/.test(trimmed)) return null;
  const ascii = domainToASCII(trimmed);
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(topLevel)) return null;
  return isCustomDomainCandidate(ascii) ? ascii : null;
}

/** The TXT record that proves control of a domain: its name and its value. */
export function verificationRecord(domain: Pick<StoreDomain, 'hostname' | 'verificationToken'>): {
  name: string;
  value: string;
} {
  return { name: `_commerce.${domain.hostname}`, value: `commerce-verification=${domain.verificationToken}` };
}

/**
 * Adds an unverified custom domain to the request's store (MANAGE_STORE). Other stores' unverified
 * claims of the hostname do not stand in the way; one that verified it does.
 */
export async function addDomain(context: SubgraphContext, input: { hostname: string }): Promise<DomainResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const hostname = normalizeHostname(input.hostname);
  if (!hostname) {
    return {
      domain: null,
      userErrors: [
        userError(
          ['input', 'hostname'],
          'Use a public hostname such as shop.example.com, without scheme, port or path.',
          'INVALID',
        ),
      ],
    };
  }
  try {
    return await context.db.transaction(async (tx): Promise<DomainResult> => {
      if ((await tx.storeDomain.count()) >= MAX_DOMAINS_PER_STORE) {
        return {
          domain: null,
          userErrors: [
            userError(
              ['input', 'hostname'],
              `A store can have at most ${MAX_DOMAINS_PER_STORE} domains; remove one first.`,
              'LIMIT_REACHED',
            ),
          ],
        };
      }
      // Another store's claim is invisible here; the store a verified hostname maps to is not.
      const [holder] = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id::text AS id FROM app_resolve_store_domain(${hostname})`;
      if (holder && holder.id !== storeId)
        return { domain: null, userErrors: [userError(['input', 'hostname'], VERIFIED_ELSEWHERE, 'TAKEN')] };
      const verificationToken = randomBytes(20).toString('hex');
      return {
        domain: await tx.storeDomain.create({ data: { storeId, hostname, verificationToken } }),
        userErrors: [],
      };
    });
  } catch (error) {
    // A store claims a hostname once.
    if (isUniqueViolation(error))
      return {
        domain: null,
        userErrors: [userError(['input', 'hostname'], 'This store has this hostname already.', 'TAKEN')],
      };
    throw error;
  }
}

const VERIFIED_ELSEWHERE =
  'Another store has verified this hostname. If the domain is yours, ask support to release it.';

async function loadDomain(context: SubgraphContext, id: string): Promise<StoreDomain> {
  const domain = await context.db.transaction((tx) =>
    tx.storeDomain.findUnique({ where: { id: keyOf(id, 'StoreDomain', ['input', 'id']) } }),
  );
  if (!domain) throw notFound(`Domain "${id}"`);
  return domain;
}

/**
 * Verifies a domain (MANAGE_STORE): the TXT record at _commerce.<hostname> must hold
 * commerce-verification=<token>. DNS is asked outside any transaction.
 */
export async function verifyDomain(context: SubgraphContext, input: { id: string }): Promise<DomainResult> {
  await requirePermission(context, 'MANAGE_STORE');
  const domain = await loadDomain(context, input.id);
  if (domain.verifiedAt) return { domain, userErrors: [] };
  const record = verificationRecord(domain);
  let records: string[][];
  try {
    records = await context.dns.resolveTxt(record.name);
  } catch (error) {
    if (!(error instanceof DnsLookupError)) throw error;
    return {
      domain: null,
      userErrors: [
        userError(
          ['input', 'id'],
          `DNS did not answer for ${record.name}; try again in a few minutes.`,
          'DNS_UNAVAILABLE',
        ),
      ],
    };
  }
  // A TXT record may come split into several character strings; together they are its value.
  if (!records.some((chunks) => chunks.join('') === record.value)) {
    return {
      domain: null,
      userErrors: [
        userError(
          ['input', 'id'],
          `No TXT record "${record.value}" was found at ${record.name}. Create it at your DNS provider; changes can take a while to appear, so try again later.`,
          'VERIFICATION_FAILED',
        ),
      ],
    };
  }
  let verified: StoreDomain | null;
  try {
    verified = await context.db.transaction(async (tx) => {
      await tx.storeDomain.updateMany({ where: { id: domain.id, verifiedAt: null }, data: { verifiedAt: new Date() } });
      return tx.storeDomain.findUnique({ where: { id: domain.id } });
    });
  } catch (error) {
    // One verified claim per hostname: another store proved control of its DNS first.
    if (isUniqueViolation(error))
      return { domain: null, userErrors: [userError(['input', 'id'], VERIFIED_ELSEWHERE, 'TAKEN')] };
    throw error;
  }
  if (!verified) throw notFound(`Domain "${input.id}"`);
  // This process maps hosts through a cache that also remembers unknown hostnames.
  forgetStoreResolutions();
  return { domain: verified, userErrors: [] };
}

/** Removes a domain from the request's store (MANAGE_STORE). */
export async function removeDomain(
  context: SubgraphContext,
  input: { id: string },
): Promise<{ removedDomainId: string | null; userErrors: UserError<StoreErrorCode>[] }> {
  await requirePermission(context, 'MANAGE_STORE');
  const key = keyOf(input.id, 'StoreDomain', ['input', 'id']);
  const removed = await context.db.transaction((tx) => tx.storeDomain.deleteMany({ where: { id: key } }));
  if (removed.count === 0) throw notFound(`Domain "${input.id}"`);
  forgetStoreResolutions();
  return { removedDomainId: toGlobalId('StoreDomain', key), userErrors: [] };
}
