// The floor's catalog: the bench store of seed-catalog.ts built once in memory, as the catalog
// subgraph's answers carry it (global ids, cursors, decimal strings), so that the floor's answers
// are as large as the real ones. answer-shape.ts, checked by the benchmark and by a test, keeps
// the two in step.
import { randomUUID } from 'node:crypto';

const MATERIALS = ['Linen', 'Merino', 'Canvas', 'Trail', 'Classic', 'Urban', 'Summer', 'Organic'];
const KINDS = ['Shirt', 'Trousers', 'Jacket', 'Bag', 'Hat', 'Scarf', 'Shoe', 'Belt'];
const SIZES = ['S', 'M', 'L'];
const IMAGES_PER_PRODUCT = 2;
const CURRENCY = 'EUR';

export interface Money {
  amount: string;
  currencyCode: string;
}

export interface FloorVariant {
  id: string;
  title: string;
  sku: string;
  price: Money;
  compareAtPrice: Money | null;
  inventory: { available: number; committed: number; onHand: number; tracked: boolean };
}

export interface Connection<Node> {
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export interface FloorProduct {
  id: string;
  title: string;
  handle: string;
  description: string;
  options: Array<{ name: string; values: string[] }>;
  images: Array<{ url: string; altText: string }>;
  priceRange: { minVariantPrice: Money; maxVariantPrice: Money };
  variants: Connection<FloorVariant>;
  /** The product's cursor in a listing by creation time. */
  cursor: string;
}

export interface FloorCatalog {
  storeId: string;
  byHandle: Map<string, FloorProduct>;
  /** The products by creation time, oldest first (the listing's order, and search's). */
  byCreation: FloorProduct[];
}

/** A global id as the graph encodes it: base64url of "Type:uuid". */
function globalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

function connection<Node>(items: Array<{ cursor: string; node: Node }>, hasNextPage: boolean): Connection<Node> {
  return {
    edges: items,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: items[0]?.cursor ?? null,
      endCursor: items.at(-1)?.cursor ?? null,
    },
  };
}

function product(n: number, createdAt: Date): FloorProduct {
  const id = randomUUID();
  const title = `${MATERIALS[n % 8]} ${KINDS[Math.floor(n / 8) % 8]} ${n}`;
  const handle = `product-${n}`;
  const base = 10 + (n % 90);
  const price = (position: number): Money => ({ amount: `${base + position * 2}.99`, currencyCode: CURRENCY });
  const variants = SIZES.map((size, position) => {
    const variantId = randomUUID();
    const available = (n * 7 + position * 13) % 50;
    return {
      cursor: Buffer.from(JSON.stringify(['position', position, variantId])).toString('base64url'),
      node: {
        id: globalId('ProductVariant', variantId),
        title: size,
        sku: `${handle.toUpperCase()}-${size}`,
        price: price(position),
        compareAtPrice: null,
        inventory: { available, committed: 0, onHand: available, tracked: true },
      },
    };
  });
  return {
    id: globalId('Product', id),
    title,
    handle,
    description: `A well made product number ${n}.`,
    options: [{ name: 'Size', values: SIZES }],
    images: Array.from({ length: IMAGES_PER_PRODUCT }, (_, index) => ({
      url: `https://img.example.com/${handle}-${index}.jpg`,
      altText: title,
    })),
    priceRange: { minVariantPrice: price(0), maxVariantPrice: price(SIZES.length - 1) },
    variants: connection(variants, false),
    cursor: Buffer.from(JSON.stringify(['createdAt', createdAt.toISOString(), id])).toString('base64url'),
  };
}

/** The bench store's `count` products, product n created n minutes ago as seeded. */
export function buildFloorCatalog(count: number): FloorCatalog {
  const now = Date.now();
  const byCreation: FloorProduct[] = [];
  for (let n = count; n >= 1; n--) byCreation.push(product(n, new Date(now - n * 60_000)));
  return {
    storeId: globalId('Store', randomUUID()),
    byHandle: new Map(byCreation.map((item) => [item.handle, item])),
    byCreation,
  };
}

/** The first `first` of `products` as a connection, the next page flagged as the real one flags it. */
export function productPage(products: FloorProduct[], first: number): Connection<FloorProduct> {
  const page = products.slice(0, first).map((node) => ({ cursor: node.cursor, node }));
  return connection(page, products.length > first);
}

/** The products a search word finds in the bench store: its titles start with one word of eight. */
export function searchMatches(catalog: FloorCatalog, query: string): FloorProduct[] {
  const word = query.toLowerCase();
  return catalog.byCreation.filter((item) =>
    item.title
      .toLowerCase()
      .split(' ')
      .some((part) => part.startsWith(word)),
  );
}
