// Buyer notifications rendered when they are sent (outbox.ts): from the order, its shipment or
// refund as they are then, in the buyer's language (else the store's) and the store's branding.
// These are the order tables the mail package reads, in the store's tenant transaction.
import type { Transaction } from '@commerce/database';
import {
  mailBranding,
  mailLanguage,
  renderNotice,
  type MailLanguage,
  type MailTableRow,
  type MailWording,
  type RenderedMail,
} from './layout.js';
import type { BuyerNotificationData, OrderNotificationKind } from './outbox.js';

type Amount = { toFixed(): string };

/** Everything a buyer notification shows, read in one tenant transaction. */
interface NotificationFacts {
  kind: OrderNotificationKind;
  language: MailLanguage;
  storeName: string;
  orderNumber: number;
  paid: boolean;
  money: (amount: Amount) => string;
  lines: Array<{ title: string; quantity: number; total: Amount }>;
  totals: { subtotal: Amount; discount: Amount; shipping: Amount; tax: Amount; total: Amount; refunded: Amount };
  cancelReason: string | null;
  shipment: { carrier: string; trackingNumber: string; trackingUrl: string | null; units: number } | null;
  refund: { amount: Amount; reason: string } | null;
  /** The return a RETURN_* mail tells of: its lines and, when declined, why. */
  return: { lines: Array<{ title: string; quantity: number; received: number }>; declineReason: string | null } | null;
}

/** Each step of a return, in each language: the subject and what it says. */
const RETURN_WORDING: Record<
  MailLanguage,
  Record<
    Extract<OrderNotificationKind, `RETURN_${string}`>,
    (number: number, store: string, reason: string | null) => { subject: string; paragraph: string }
  >
> = {
  en: {
    RETURN_REQUESTED: (number, store) => ({
      subject: `We received your return request for order #${number}`,
      paragraph: `${store} has your request to return the items below and will let you know once it is reviewed.`,
    }),
    RETURN_APPROVED: (number) => ({
      subject: `Your return for order #${number} is approved`,
      paragraph: 'Please send the items below back to us. We refund them once they arrive.',
    }),
    RETURN_DECLINED: (number, _store, reason) => ({
      subject: `Your return for order #${number} was declined`,
      paragraph: `We cannot accept this return${reason ? `: ${reason}` : '.'}`,
    }),
    RETURN_RECEIVED: (number) => ({
      subject: `We received your returned items for order #${number}`,
      paragraph: 'The items below have arrived. Your refund follows.',
    }),
    RETURN_CLOSED: (number) => ({
      subject: `Your return for order #${number} is closed`,
      paragraph: 'This return is complete. Thank you.',
    }),
  },
  de: {
    RETURN_REQUESTED: (number, store) => ({
      subject: `Ihre Rücksendeanfrage zu Bestellung Nr. ${number} ist eingegangen`,
      paragraph: `${store} hat Ihre Anfrage erhalten, die folgenden Artikel zurückzusenden, und meldet sich nach der Prüfung.`,
    }),
    RETURN_APPROVED: (number) => ({
      subject: `Ihre Rücksendung zu Bestellung Nr. ${number} ist genehmigt`,
      paragraph: 'Bitte senden Sie die folgenden Artikel zurück. Wir erstatten sie nach Eingang.',
    }),
    RETURN_DECLINED: (number, _store, reason) => ({
      subject: `Ihre Rücksendung zu Bestellung Nr. ${number} wurde abgelehnt`,
      paragraph: `Wir können diese Rücksendung nicht annehmen${reason ? `: ${reason}` : '.'}`,
    }),
    RETURN_RECEIVED: (number) => ({
      subject: `Ihre Rücksendung zu Bestellung Nr. ${number} ist eingetroffen`,
      paragraph: 'Die folgenden Artikel sind bei uns eingetroffen. Die Erstattung folgt.',
    }),
    RETURN_CLOSED: (number) => ({
      subject: `Ihre Rücksendung zu Bestellung Nr. ${number} ist abgeschlossen`,
      paragraph: 'Diese Rücksendung ist abgeschlossen. Vielen Dank.',
    }),
  },
};

/** A RETURN_* mail: the step's words and the return's lines. */
function returnTemplate(
  facts: NotificationFacts,
  kind: Extract<OrderNotificationKind, `RETURN_${string}`>,
  base: { greeting: string; closing: string; action: string },
): Template {
  const { subject, paragraph } = RETURN_WORDING[facts.language][kind](
    facts.orderNumber,
    facts.storeName,
    facts.return?.declineReason ?? null,
  );
  const received = kind === 'RETURN_RECEIVED' || kind === 'RETURN_CLOSED';
  return {
    wording: { ...base, subject, paragraphs: [paragraph] },
    rows: (facts.return?.lines ?? [])
      .filter((line) => !received || line.received > 0)
      .map((line) => ({ label: line.title, value: `× ${received ? line.received : line.quantity}` })),
    link: null,
  };
}

function isReturnKind(kind: OrderNotificationKind): kind is Extract<OrderNotificationKind, `RETURN_${string}`> {
  return kind.startsWith('RETURN_');
}

function isZero(amount: Amount): boolean {
  return Number(amount.toFixed()) === 0;
}

function orderRows(
  facts: NotificationFacts,
  labels: Record<'subtotal' | 'discount' | 'shipping' | 'tax' | 'total', string>,
): MailTableRow[] {
  const { totals, money } = facts;
  return [
    ...facts.lines.map((line) => ({ label: `${line.quantity} × ${line.title}`, value: money(line.total) })),
    { label: labels.subtotal, value: money(totals.subtotal) },
    ...(isZero(totals.discount) ? [] : [{ label: labels.discount, value: `−${money(totals.discount)}` }]),
    { label: labels.shipping, value: money(totals.shipping) },
    ...(isZero(totals.tax) ? [] : [{ label: labels.tax, value: money(totals.tax) }]),
    { label: labels.total, value: money(totals.total), strong: true },
  ];
}

interface Template {
  wording: MailWording;
  rows: MailTableRow[];
  link: string | null;
}

const TEMPLATES: Record<MailLanguage, (facts: NotificationFacts) => Template> = {
  en: (facts) => {
    const { storeName: store, orderNumber: number, money, totals } = facts;
    const base = { greeting: 'Hello,', closing: `The ${store} team`, action: '' };
    const labels = { subtotal: 'Subtotal', discount: 'Discount', shipping: 'Shipping', tax: 'Tax', total: 'Total' };
    if (isReturnKind(facts.kind)) return returnTemplate(facts, facts.kind, base);
    switch (facts.kind) {
      case 'ORDER_CONFIRMATION':
        return {
          wording: {
            ...base,
            subject: `Your order #${number} at ${store}`,
            paragraphs: [
              `Thank you for your order! We have received order #${number} and will let you know when it ships.`,
              facts.paid
                ? `Your payment of ${money(totals.total)} has been received.`
                : `We will prepare it as soon as your payment of ${money(totals.total)} arrives.`,
            ],
          },
          rows: orderRows(facts, labels),
          link: null,
        };
      case 'PAYMENT_RECEIVED':
        return {
          wording: {
            ...base,
            subject: `Payment received for order #${number}`,
            paragraphs: [`We have received your payment of ${money(totals.total)} for order #${number}. Thank you!`],
          },
          rows: [{ label: labels.total, value: money(totals.total), strong: true }],
          link: null,
        };
      case 'SHIPPING_CONFIRMATION': {
        const shipment = facts.shipment;
        const via = shipment?.carrier ? ` with ${shipment.carrier}` : '';
        return {
          wording: {
            ...base,
            action: 'Track your parcel',
            subject: `Order #${number} has shipped`,
            paragraphs: [
              `Good news: ${shipment?.units ?? 0} item(s) of order #${number} are on their way${via}.`,
              ...(shipment?.trackingNumber ? [`Tracking number: ${shipment.trackingNumber}`] : []),
            ],
          },
          rows: [],
          link: shipment?.trackingUrl ?? null,
        };
      }
      case 'ORDER_CANCELLED':
        return {
          wording: {
            ...base,
            subject: `Order #${number} was cancelled`,
            paragraphs: [
              `Your order #${number} at ${store} was cancelled${facts.cancelReason ? `: ${facts.cancelReason}` : '.'}`,
              isZero(totals.refunded)
                ? 'Nothing was charged for it.'
                : `We have refunded ${money(totals.refunded)} to your original payment method.`,
            ],
          },
          rows: [],
          link: null,
        };
      case 'REFUND':
        return {
          wording: {
            ...base,
            subject: `Refund for order #${number}`,
            paragraphs: [
              `We have refunded ${money(facts.refund?.amount ?? totals.refunded)} for order #${number} to your original payment method.`,
              ...(facts.refund?.reason ? [`Reason: ${facts.refund.reason}`] : []),
            ],
          },
          rows: [{ label: 'Refunded in total', value: money(totals.refunded), strong: true }],
          link: null,
        };
    }
  },
  de: (facts) => {
    const { storeName: store, orderNumber: number, money, totals } = facts;
    const base = { greeting: 'Hallo,', closing: `Ihr Team von ${store}`, action: '' };
    const labels = {
      subtotal: 'Zwischensumme',
      discount: 'Rabatt',
      shipping: 'Versand',
      tax: 'MwSt.',
      total: 'Gesamt',
    };
    if (isReturnKind(facts.kind)) return returnTemplate(facts, facts.kind, base);
    switch (facts.kind) {
      case 'ORDER_CONFIRMATION':
        return {
          wording: {
            ...base,
            subject: `Ihre Bestellung Nr. ${number} bei ${store}`,
            paragraphs: [
              `Vielen Dank für Ihre Bestellung! Wir haben Bestellung Nr. ${number} erhalten und melden uns, sobald sie versandt ist.`,
              facts.paid
                ? `Ihre Zahlung über ${money(totals.total)} ist eingegangen.`
                : `Wir bereiten sie vor, sobald Ihre Zahlung über ${money(totals.total)} eingegangen ist.`,
            ],
          },
          rows: orderRows(facts, labels),
          link: null,
        };
      case 'PAYMENT_RECEIVED':
        return {
          wording: {
            ...base,
            subject: `Zahlung für Bestellung Nr. ${number} erhalten`,
            paragraphs: [
              `Ihre Zahlung über ${money(totals.total)} für Bestellung Nr. ${number} ist eingegangen. Danke!`,
            ],
          },
          rows: [{ label: labels.total, value: money(totals.total), strong: true }],
          link: null,
        };
      case 'SHIPPING_CONFIRMATION': {
        const shipment = facts.shipment;
        const via = shipment?.carrier ? ` mit ${shipment.carrier}` : '';
        return {
          wording: {
            ...base,
            action: 'Sendung verfolgen',
            subject: `Bestellung Nr. ${number} ist unterwegs`,
            paragraphs: [
              `${shipment?.units ?? 0} Artikel Ihrer Bestellung Nr. ${number} sind${via} unterwegs.`,
              ...(shipment?.trackingNumber ? [`Sendungsnummer: ${shipment.trackingNumber}`] : []),
            ],
          },
          rows: [],
          link: shipment?.trackingUrl ?? null,
        };
      }
      case 'ORDER_CANCELLED':
        return {
          wording: {
            ...base,
            subject: `Bestellung Nr. ${number} wurde storniert`,
            paragraphs: [
              `Ihre Bestellung Nr. ${number} bei ${store} wurde storniert${facts.cancelReason ? `: ${facts.cancelReason}` : '.'}`,
              isZero(totals.refunded)
                ? 'Es wurde nichts berechnet.'
                : `Wir haben ${money(totals.refunded)} auf Ihr ursprüngliches Zahlungsmittel erstattet.`,
            ],
          },
          rows: [],
          link: null,
        };
      case 'REFUND':
        return {
          wording: {
            ...base,
            subject: `Erstattung für Bestellung Nr. ${number}`,
            paragraphs: [
              `Wir haben ${money(facts.refund?.amount ?? totals.refunded)} für Bestellung Nr. ${number} auf Ihr ursprüngliches Zahlungsmittel erstattet.`,
              ...(facts.refund?.reason ? [`Grund: ${facts.refund.reason}`] : []),
            ],
          },
          rows: [{ label: 'Insgesamt erstattet', value: money(totals.refunded), strong: true }],
          link: null,
        };
    }
  },
};

/** A tracking link a buyer may follow: http(s) only. */
function safeLink(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const protocol = new URL(url).protocol;
  return protocol === 'https:' || protocol === 'http:' ? url : null;
}

/** A rendered buyer notification and the sender's display name (the store's). */
export interface RenderedNotification extends RenderedMail {
  fromName: string;
}

/**
 * Renders a buyer notification from the current data, in the store's tenant transaction `tx`;
 * null when what it is about no longer exists (the store deleted it).
 */
export async function renderBuyerNotification(
  tx: Transaction,
  storeId: string,
  kind: OrderNotificationKind,
  data: BuyerNotificationData,
): Promise<RenderedNotification | null> {
  const [store, order] = await Promise.all([
    tx.store.findUnique({ where: { id: storeId }, select: { name: true, locale: true, branding: true } }),
    tx.order.findUnique({
      where: { storeId_id: { storeId, id: data.orderId } },
      include: { lines: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    }),
  ]);
  if (!store || !order) return null;
  const [customer, fulfillment, refund, returned] = await Promise.all([
    order.customerId
      ? tx.customer.findUnique({ where: { storeId_id: { storeId, id: order.customerId } }, select: { locale: true } })
      : null,
    data.fulfillmentId
      ? tx.fulfillment.findUnique({
          where: { storeId_id: { storeId, id: data.fulfillmentId } },
          include: { lines: true },
        })
      : null,
    data.refundId ? tx.refund.findUnique({ where: { storeId_id: { storeId, id: data.refundId } } }) : null,
    data.returnId
      ? tx.return.findUnique({
          where: { storeId_id: { storeId, id: data.returnId } },
          include: { lines: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
        })
      : null,
  ]);
  if ((data.fulfillmentId && !fulfillment) || (data.refundId && !refund) || (data.returnId && !returned)) return null;
  const language = mailLanguage(customer?.locale, store.locale);
  const numberLocale = store.locale.toLowerCase().startsWith(language) ? store.locale : language;
  const format = new Intl.NumberFormat(numberLocale, { style: 'currency', currency: order.currencyCode });
  const facts: NotificationFacts = {
    kind,
    language,
    storeName: store.name,
    orderNumber: order.number,
    paid: order.paymentStatus !== 'PENDING',
    money: (amount) => format.format(Number(amount.toFixed())),
    lines: order.lines.map((line) => ({
      title: line.variantTitle && line.variantTitle !== 'Default' ? `${line.title} (${line.variantTitle})` : line.title,
      quantity: line.quantity,
      total: line.totalPrice,
    })),
    totals: {
      subtotal: order.subtotal,
      discount: order.discountTotal,
      shipping: order.shippingTotal,
      tax: order.taxTotal,
      total: order.total,
      refunded: order.totalRefunded,
    },
    cancelReason: order.cancelReason,
    shipment: fulfillment
      ? {
          carrier: fulfillment.carrier,
          trackingNumber: fulfillment.trackingNumber,
          trackingUrl: fulfillment.trackingUrl ? safeLink(fulfillment.trackingUrl) : null,
          units: fulfillment.lines.reduce((sum, line) => sum + line.quantity, 0),
        }
      : null,
    refund: refund ? { amount: refund.amount, reason: refund.reason } : null,
    return: returned
      ? {
          lines: returned.lines.map((line) => {
            const ordered = order.lines.find((candidate) => candidate.id === line.orderLineId);
            return { title: ordered?.title ?? '', quantity: line.quantity, received: line.receivedQuantity };
          }),
          declineReason: returned.declineReason,
        }
      : null,
  };
  const template = TEMPLATES[language](facts);
  const branding = mailBranding(store.name, store.branding);
  return {
    fromName: store.name,
    ...renderNotice(language, branding, template.wording, { rows: template.rows, link: template.link }),
  };
}
