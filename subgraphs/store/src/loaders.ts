import DataLoader from 'dataloader';
import type {
  App,
  Seller,
  ShippingRate,
  ShippingZone,
  StaffMember,
  StaffRole,
  Store,
  StoreCurrency,
  StoreDomain,
  TaxRate,
  Transaction,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryAttempt,
} from '@commerce/database';
import {
  groupByKey,
  inCurrency,
  readStoreRows,
  requireStore,
  rowByKey,
  type RequestContext,
} from '@commerce/graphql-kit';
import { createMetafieldLoader } from '@commerce/metafields';
import type { ShippingRateParent } from './mappers.js';

const ROLE_ORDER: Record<StaffRole, number> = { OWNER: 0, ADMIN: 1, MANAGER: 2, STAFF: 3 };

/** The per-request DataLoaders of the store subgraph: one statement per batch. */
export function createLoaders(context: RequestContext) {
  const { db } = context;
  const read = <T>(work: (tx: Transaction) => Promise<T>) => db.read(work);
  const sellerId = context.viewer.kind === 'seller' ? context.viewer.sellerId : null;
  // Rates are read only in their store's requests (row-level security), so they are in its currency.
  const rateInCurrency = (rate: ShippingRate): ShippingRateParent =>
    inCurrency(rate, requireStore(context).currencyCode);
  return {
    /** The store's custom-field values the caller may see. */
    storeMetafields: createMetafieldLoader(context, 'STORE'),
    /** The request's store's translations (key to text) by language. */
    storeTranslations: new DataLoader<string, Map<string, string>>((locales) =>
      readStoreRows(context, (tx, storeId) =>
        tx.storeTranslation.findMany({ where: { storeId, locale: { in: [...locales] } } }),
      ).then((rows) =>
        groupByKey(locales, rows, (row) => row.locale).map(
          (group) => new Map(group.map((row) => [row.key, row.value])),
        ),
      ),
    ),
    storeById: new DataLoader<string, Store | null>(async (ids) => {
      const stores = await read((tx) => tx.store.findMany({ where: { id: { in: [...ids] } } }));
      return rowByKey(ids, stores, (store) => store.id);
    }),
    sellerById: new DataLoader<string, Seller | null>(async (ids) => {
      const sellers = await read((tx) => tx.seller.findMany({ where: { id: { in: [...ids] } } }));
      return rowByKey(ids, sellers, (seller) => seller.id);
    }),
    /**
     * Each seller's stores, read at that seller's platform scope: a Seller object is only ever
     * handed out to the seller themself (sign-up and log-in payloads, currentSeller, node).
     */
    storesBySeller: new DataLoader<string, Store[]>((sellerIds) =>
      Promise.all(
        sellerIds.map((id) =>
          db
            .withScope({ sellerId: id })
            .transaction((tx) =>
              tx.staffMember.findMany({
                where: { sellerId: id },
                include: { store: true },
                orderBy: { createdAt: 'asc' },
              }),
            )
            .then((memberships) => memberships.map((member) => member.store)),
        ),
      ),
    ),
    /** The calling seller's role in each store. */
    viewerRoleByStore: new DataLoader<string, StaffRole | null>(async (storeIds) => {
      if (!sellerId) return storeIds.map(() => null);
      const memberships = await read((tx) =>
        tx.staffMember.findMany({ where: { sellerId, storeId: { in: [...storeIds] } } }),
      );
      return storeIds.map((id) => memberships.find((member) => member.storeId === id)?.role ?? null);
    }),
    /** Each store's custom domains, oldest first. */
    domainsByStore: new DataLoader<string, StoreDomain[]>((storeIds) =>
      read((tx) =>
        tx.storeDomain.findMany({
          where: { storeId: { in: [...storeIds] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(storeIds, rows, (row) => row.storeId)),
    ),
    domainById: new DataLoader<string, StoreDomain | null>((ids) =>
      read((tx) => tx.storeDomain.findMany({ where: { id: { in: [...ids] } } })).then((rows) =>
        rowByKey(ids, rows, (row) => row.id),
      ),
    ),
    /** Each store's staff and invitations: OWNERs first, then by role, each role oldest first. */
    staffByStore: new DataLoader<string, StaffMember[]>((storeIds) =>
      read((tx) =>
        tx.staffMember.findMany({
          where: { storeId: { in: [...storeIds] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) =>
        groupByKey(storeIds, rows, (row) => row.storeId).map((members) =>
          members.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]),
        ),
      ),
    ),
    staffMemberById: new DataLoader<string, StaffMember | null>((ids) =>
      read((tx) => tx.staffMember.findMany({ where: { id: { in: [...ids] } } })).then((rows) =>
        rowByKey(ids, rows, (row) => row.id),
      ),
    ),
    /** Each store's apps, newest first. */
    appsByStore: new DataLoader<string, App[]>((storeIds) =>
      read((tx) =>
        tx.app.findMany({
          where: { storeId: { in: [...storeIds] } },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
      ).then((rows) => groupByKey(storeIds, rows, (row) => row.storeId)),
    ),
    appById: new DataLoader<string, App | null>((ids) =>
      readStoreRows(context, (tx, storeId) => tx.app.findMany({ where: { storeId, id: { in: [...ids] } } })).then(
        (rows) => rowByKey(ids, rows, (row) => row.id),
      ),
    ),
    /** Each store's shipping zones by name. */
    zonesByStore: new DataLoader<string, ShippingZone[]>((storeIds) =>
      read((tx) =>
        tx.shippingZone.findMany({
          where: { storeId: { in: [...storeIds] } },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(storeIds, rows, (row) => row.storeId)),
    ),
    zoneById: new DataLoader<string, ShippingZone | null>((ids) =>
      readStoreRows(context, (tx, storeId) =>
        tx.shippingZone.findMany({ where: { storeId, id: { in: [...ids] } } }),
      ).then((rows) => rowByKey(ids, rows, (row) => row.id)),
    ),
    /** Each zone's rates, cheapest first. */
    ratesByZone: new DataLoader<string, ShippingRateParent[]>((zoneIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.shippingRate.findMany({
          where: { storeId, zoneId: { in: [...zoneIds] } },
          orderBy: [{ price: 'asc' }, { name: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(zoneIds, rows.map(rateInCurrency), (row) => row.zoneId)),
    ),
    rateById: new DataLoader<string, ShippingRateParent | null>((ids) =>
      readStoreRows(context, (tx, storeId) =>
        tx.shippingRate.findMany({ where: { storeId, id: { in: [...ids] } } }),
      ).then((rows) => rowByKey(ids, rows.map(rateInCurrency), (row) => row.id)),
    ),
    /** Each store's tax rates by country, then region (the whole country first). */
    taxRatesByStore: new DataLoader<string, TaxRate[]>((storeIds) =>
      read((tx) =>
        tx.taxRate.findMany({
          where: { storeId: { in: [...storeIds] } },
          orderBy: [{ countryCode: 'asc' }, { region: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(storeIds, rows, (row) => row.storeId)),
    ),
    /** Each store's presentment currencies, by code. */
    currenciesByStore: new DataLoader<string, StoreCurrency[]>((storeIds) =>
      read((tx) =>
        tx.storeCurrency.findMany({ where: { storeId: { in: [...storeIds] } }, orderBy: { currencyCode: 'asc' } }),
      ).then((rows) => groupByKey(storeIds, rows, (row) => row.storeId)),
    ),
    taxRateById: new DataLoader<string, TaxRate | null>((ids) =>
      readStoreRows(context, (tx, storeId) => tx.taxRate.findMany({ where: { storeId, id: { in: [...ids] } } })).then(
        (rows) => rowByKey(ids, rows, (row) => row.id),
      ),
    ),
    webhookById: new DataLoader<string, Webhook | null>((ids) =>
      readStoreRows(context, (tx, storeId) => tx.webhook.findMany({ where: { storeId, id: { in: [...ids] } } })).then(
        (rows) => rowByKey(ids, rows, (row) => row.id),
      ),
    ),
    webhookDeliveryById: new DataLoader<string, WebhookDelivery | null>((ids) =>
      readStoreRows(context, (tx, storeId) =>
        tx.webhookDelivery.findMany({ where: { storeId, id: { in: [...ids] } } }),
      ).then((rows) => rowByKey(ids, rows, (row) => row.id)),
    ),
    /** Each delivery's attempts, oldest first. */
    attemptsByDelivery: new DataLoader<string, WebhookDeliveryAttempt[]>((deliveryIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.webhookDeliveryAttempt.findMany({
          where: { storeId, deliveryId: { in: [...deliveryIds] } },
          orderBy: [{ attemptedAt: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(deliveryIds, rows, (row) => row.deliveryId)),
    ),
    /** The request store's staff member of each seller. */
    staffMemberBySeller: new DataLoader<string, StaffMember | null>((sellerIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.staffMember.findMany({ where: { storeId, sellerId: { in: [...sellerIds] } } }),
      ).then((rows) => rowByKey(sellerIds, rows, (row) => row.sellerId ?? '')),
    ),
  };
}

export type StoreLoaders = ReturnType<typeof createLoaders>;
