// The mail a store's follower gets when the store publishes a new product. The follower mail
// writer stores it as its kind and ids (outbox.ts); it is rendered here when sent, from the
// product as it is then, in the follower's language (else the store's) and the store's branding.
// These are the catalog and customer tables the mail package reads, in the store's tenant
// transaction.
import type { Transaction } from '@commerce/database';
import type { RenderedNotification } from './buyer-notifications.js';
import { mailBranding, mailLanguage, renderNotice, type MailLanguage, type MailWording } from './layout.js';

/** What a new-product mail is about: the product, the follower, and where the store's storefront lives. */
export interface NewProductNotificationData {
  productId: string;
  customerId: string;
  /** The storefront's base URL when the mail was written; the button leads to `<it>/products/<handle>`. Null: no button. */
  storefrontUrl: string | null;
}

const EXCERPT_MAX = 280;

/** The description as a short plain-text excerpt: tags dropped, spaces collapsed. */
function excerpt(description: string): string {
  const plain = description
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length <= EXCERPT_MAX ? plain : `${plain.slice(0, EXCERPT_MAX - 1).trimEnd()}…`;
}

interface NewProductFacts {
  store: string;
  firstName: string;
  title: string;
  price: string;
  fromPrice: boolean;
  description: string;
}

const WORDINGS: Record<MailLanguage, (facts: NewProductFacts) => MailWording> = {
  en: (facts) => ({
    subject: `New at ${facts.store}: ${facts.title}`,
    greeting: facts.firstName ? `Hello ${facts.firstName},` : 'Hello,',
    paragraphs: [
      `${facts.store}, a store you follow, has something new: ${facts.title}, ${facts.fromPrice ? 'from ' : ''}${facts.price}.`,
      ...(facts.description ? [facts.description] : []),
      `You receive this mail because you follow ${facts.store}. To stop these mails, turn off new-product mails in your account, or unfollow the store.`,
    ],
    action: 'See the product',
    closing: `The ${facts.store} team`,
  }),
  de: (facts) => ({
    subject: `Neu bei ${facts.store}: ${facts.title}`,
    greeting: facts.firstName ? `Hallo ${facts.firstName},` : 'Hallo,',
    paragraphs: [
      `${facts.store}, ein Shop, dem Sie folgen, hat etwas Neues: ${facts.title}, ${facts.fromPrice ? 'ab ' : ''}${facts.price}.`,
      ...(facts.description ? [facts.description] : []),
      `Sie erhalten diese E-Mail, weil Sie ${facts.store} folgen. Um sie abzubestellen, schalten Sie die Mails zu neuen Produkten in Ihrem Konto ab oder folgen Sie dem Shop nicht mehr.`,
    ],
    action: 'Zum Produkt',
    closing: `Ihr Team von ${facts.store}`,
  }),
};

/** A product page link a buyer may follow: http(s) only. */
function productLink(storefrontUrl: string | null, handle: string): string | null {
  if (!storefrontUrl || !URL.canParse(storefrontUrl)) return null;
  const base = new URL(storefrontUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return null;
  return `${storefrontUrl.replace(/\/+$/, '')}/products/${encodeURIComponent(handle)}`;
}

/**
 * Renders a new-product mail in the store's tenant transaction `tx`; null when it should no
 * longer go out: the product is gone or not ACTIVE, the follower stopped following, turned these
 * mails off, or their account is not active (erased, suspended, blocked).
 */
export async function renderNewProductNotification(
  tx: Transaction,
  storeId: string,
  data: NewProductNotificationData,
): Promise<RenderedNotification | null> {
  const [store, product, customer, follow] = await Promise.all([
    tx.store.findUnique({
      where: { id: storeId },
      select: { name: true, locale: true, branding: true, currencyCode: true },
    }),
    tx.product.findUnique({
      where: { storeId_id: { storeId, id: data.productId } },
      select: { title: true, handle: true, description: true, status: true, minPrice: true, maxPrice: true },
    }),
    tx.customer.findUnique({
      where: { storeId_id: { storeId, id: data.customerId } },
      select: { firstName: true, locale: true, status: true },
    }),
    tx.storeFollow.findUnique({
      where: { storeId_customerId: { storeId, customerId: data.customerId } },
      select: { notifyNewProducts: true },
    }),
  ]);
  if (!store || !product || product.status !== 'ACTIVE') return null;
  if (customer?.status !== 'ACTIVE' || !follow?.notifyNewProducts) return null;
  const language = mailLanguage(customer.locale, store.locale);
  const numberLocale = store.locale.toLowerCase().startsWith(language) ? store.locale : language;
  const format = new Intl.NumberFormat(numberLocale, { style: 'currency', currency: store.currencyCode });
  const wording = WORDINGS[language]({
    store: store.name,
    firstName: customer.firstName,
    title: product.title,
    price: format.format(Number(product.minPrice.toFixed())),
    fromPrice: !product.minPrice.equals(product.maxPrice),
    description: excerpt(product.description),
  });
  const branding = mailBranding(store.name, store.branding);
  return {
    fromName: store.name,
    ...renderNotice(language, branding, wording, { link: productLink(data.storefrontUrl, product.handle) }),
  };
}
