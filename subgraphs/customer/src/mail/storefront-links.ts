// Links in customer mails point at the storefront, not at this API: the storefront shows the page
// that sends the token back (customerEmailVerify, customerPasswordReset).

const DEFAULT_STOREFRONT_URL = 'http://localhost:3000/{store}';

/** Where a store's storefront lives, for the links in its mails. */
export interface StorefrontAddress {
  slug: string;
  /** A verified custom domain of the store, if it has one. */
  customDomain: string | null;
}

/**
 * The storefront's base URL: https://<custom domain> when the store has a verified one, else
 * STOREFRONT_URL with "{store}" replaced by the store's slug (default http://localhost:3000/{store}).
 */
export function storefrontBaseUrl(store: StorefrontAddress): string {
  if (store.customDomain) return `https://${store.customDomain}`;
  const template = process.env.STOREFRONT_URL?.trim() || DEFAULT_STOREFRONT_URL;
  return template.replaceAll('{store}', encodeURIComponent(store.slug)).replace(/\/+$/, '');
}

/** A storefront page that receives a token, e.g. /account/reset-password?token=…. */
export function tokenLink(store: StorefrontAddress, page: 'verify-email' | 'reset-password', token: string): string {
  const url = new URL(`${storefrontBaseUrl(store)}/account/${page}`);
  url.searchParams.set('token', token);
  return url.toString();
}

/** The storefront's account page, linked from the welcome mail. */
export function accountLink(store: StorefrontAddress): string {
  return `${storefrontBaseUrl(store)}/account`;
}
