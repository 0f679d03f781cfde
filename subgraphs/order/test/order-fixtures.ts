// Arranges orders the way checkout will write them (checkout itself comes later), as the database owner.
import { issueAccessToken } from '@commerce/auth';
import { Prisma, type FulfillmentStatus, type OrderStatus, type PaymentStatus, type PrismaClient } from '@commerce/database';
import { toGlobalId } from '@commerce/graphql-kit';
import { keyOf, unique, type TestStore } from '@commerce/testkit';

export interface TestCustomer {
  id: string;
  key: string;
  email: string;
  accessToken: string;
}

export interface OrderLineSeed {
  title: string;
  quantity: number;
  unitPrice: string;
  productId?: string;
  variantId?: string;
}

export interface OrderSeed {
  number: number;
  email?: string;
  customer?: TestCustomer;
  status?: OrderStatus;
  paymentStatus?: PaymentStatus;
  fulfillmentStatus?: FulfillmentStatus;
  subtotal?: string;
  total?: string;
  totalRefunded?: string;
  createdAt?: Date;
  lines?: OrderLineSeed[];
}

/** A customer row of the store and an access token for it. */
export async function insertCustomer(owner: PrismaClient, store: TestStore): Promise<TestCustomer> {
  const email = `${unique('buyer')}@example.com`;
  const customer = await owner.customer.create({ data: { storeId: keyOf(store.id), email, firstName: 'Test', lastName: 'Buyer' } });
  const accessToken = await issueAccessToken({ kind: 'customer', customerId: customer.id, storeId: keyOf(store.id) });
  return { id: toGlobalId('Customer', customer.id), key: customer.id, email, accessToken };
}

/** Inserts an order with its lines; the subtotal is the lines' sum and the total the subtotal unless given. */
export async function insertOrder(owner: PrismaClient, store: TestStore, seed: OrderSeed): Promise<{ id: string; key: string }> {
  const lines = seed.lines ?? [{ title: 'Widget', quantity: 1, unitPrice: seed.total ?? '10.00' }];
  const createdAt = seed.createdAt ?? new Date();
  const lineTotal = (line: OrderLineSeed) => new Prisma.Decimal(line.unitPrice).times(line.quantity);
  const subtotal = seed.subtotal ?? lines.reduce((sum, line) => sum.plus(lineTotal(line)), new Prisma.Decimal(0)).toFixed(2);
  const order = await owner.order.create({
    data: {
      storeId: keyOf(store.id),
      number: seed.number,
      customerId: seed.customer?.key ?? null,
      email: seed.email ?? seed.customer?.email ?? `${unique('guest')}@example.com`,
      status: seed.status,
      paymentStatus: seed.paymentStatus,
      fulfillmentStatus: seed.fulfillmentStatus,
      currencyCode: store.currencyCode,
      subtotal,
      total: seed.total ?? subtotal,
      totalRefunded: seed.totalRefunded,
      createdAt,
      lines: {
        // A millisecond apart, so the lines keep the order they were given in.
        create: lines.map((line, index) => ({
          createdAt: new Date(createdAt.getTime() + index),
          title: line.title,
          variantTitle: 'Default',
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          totalPrice: lineTotal(line),
          productId: line.productId,
          variantId: line.variantId,
        })),
      },
    },
  });
  return { id: toGlobalId('Order', order.id), key: order.id };
}
