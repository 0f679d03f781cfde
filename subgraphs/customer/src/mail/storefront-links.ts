// Links in customer mails point at the storefront, not at this API: the storefront shows the page
// that sends the token back (customerEmailVerify, customerPasswordReset).

/** Where a store's storefront lives, for the links in its mails. */
export interface StorefrontAddress {
  slug: string;
  /** A verified custom domain of the store, if it has one. */
  customDomain: string | null;
  /** Where storefronts live (STOREFRONT_URL, "{store}" standing for the slug). */
  storefrontUrl: string;
}

/**
 * The storefront's base URL: https://<custom domain> when the store has a verified one, else
 * STOREFRONT_URL with "{store}" replaced by the store's slug.
 */
export function storefrontBaseUrl(store: StorefrontAddress): string {
  if (store.customDomain) return `https://${store.customDomain}`;
  return store.storefrontUrl.replaceAll('{store}', encodeURIComponent(store.slug)).replace(/\/+$/, '');
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
