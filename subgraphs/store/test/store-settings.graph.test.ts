import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  signUpCustomer,
  signUpSeller,
  sharedTestGraph,
  type SharedTestGraph,
} from '@commerce/testkit';
import { asOwner, createRate, createZone, execute, succeed, userErrorsOf } from '@commerce/testkit/store-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

describe('storeUpdate', () => {
  it('changes name, description, status, currency, locale and time zone of the request store', async () => {
    const store = await createStore(graph.client);
    const payload = await succeed(
      graph.client,
      'storeUpdate',
      {
        name: '  Linen & Co  ',
        description: 'Shirts.',
        status: 'MAINTENANCE',
        currencyCode: 'CHF',
        locale: 'de-ch',
        timezone: 'Europe/Zurich',
      },
      asOwner(store),
    );
    expect(payload.store).toEqual({
      id: store.id,
      name: 'Linen & Co',
      description: 'Shirts.',
      status: 'MAINTENANCE',
      currencyCode: 'CHF',
      locale: 'de-CH',
      timezone: 'Europe/Zurich',
    });
    // Fields left out stay as they are.
    const again = await succeed(graph.client, 'storeUpdate', { status: 'ACTIVE' }, asOwner(store));
    expect(again.store).toMatchObject({ name: 'Linen & Co', status: 'ACTIVE', currencyCode: 'CHF' });
  });

  it('answers invalid fields with userErrors on their paths and saves nothing', async () => {
    const store = await createStore(graph.client);
    const errors = await userErrorsOf(
      graph.client,
      'storeUpdate',
      {
        name: ' ',
        description: 'x'.repeat(2001),
        status: null,
        currencyCode: 'EURO',
        locale: 'not a locale!',
        timezone: 'Mars/Olympus',
      },
      asOwner(store),
    );
    expect(errors).toEqual([
      ['input.name', 'BLANK'],
      ['input.description', 'TOO_LONG'],
      ['input.status', 'BLANK'],
      ['input.currencyCode', 'INVALID'],
      ['input.locale', 'INVALID'],
      ['input.timezone', 'INVALID'],
    ]);
    const data = await graph.client.data(`{ store { name currencyCode } }`, {}, { store: store.slug });
    expect(data.store).toEqual({ name: `Store ${store.slug}`, currencyCode: 'EUR' });
  });

  it('refuses SUSPENDED from store staff, and keeps a suspended store suspended', async () => {
    const store = await createStore(graph.client);
    expect(await userErrorsOf(graph.client, 'storeUpdate', { status: 'SUSPENDED' }, asOwner(store))).toEqual([
      ['input.status', 'PLATFORM_ONLY'],
    ]);
    // The platform suspends a store directly in the database; its owner cannot lift it.
    await owner.store.update({ where: { id: keyOf(store.id) }, data: { status: 'SUSPENDED' } });
    expect(await userErrorsOf(graph.client, 'storeUpdate', { status: 'ACTIVE' }, asOwner(store))).toEqual([
      ['input.status', 'STORE_SUSPENDED'],
    ]);
    // Other settings can still be changed by the staff.
    const renamed = await succeed(graph.client, 'storeUpdate', { name: 'Still mine' }, asOwner(store));
    expect(renamed.store).toMatchObject({ name: 'Still mine', status: 'SUSPENDED' });
  });

  it('refuses to change the currency once products, shipping rates or order limits are priced in it', async () => {
    const withRate = await createStore(graph.client);
    const zone = await createZone(graph.client, withRate);
    await createRate(graph.client, withRate, zone.id);
    expect(await userErrorsOf(graph.client, 'storeUpdate', { currencyCode: 'USD' }, asOwner(withRate))).toEqual([
      ['input.currencyCode', 'CURRENCY_LOCKED'],
    ]);

    const withProduct = await createStore(graph.client);
    await owner.product.create({ data: { storeId: keyOf(withProduct.id), title: 'Cup', handle: 'cup' } });
    expect(await userErrorsOf(graph.client, 'storeUpdate', { currencyCode: 'USD' }, asOwner(withProduct))).toEqual([
      ['input.currencyCode', 'CURRENCY_LOCKED'],
    ]);

    const withLimit = await createStore(graph.client);
    await succeed(graph.client, 'storeConfigUpdate', { settings: { minOrderAmount: '10.00' } }, asOwner(withLimit));
    expect(await userErrorsOf(graph.client, 'storeUpdate', { currencyCode: 'USD' }, asOwner(withLimit))).toEqual([
      ['input.currencyCode', 'CURRENCY_LOCKED'],
    ]);

    // The same currency again is no change.
    expect(await userErrorsOf(graph.client, 'storeUpdate', { currencyCode: 'EUR' }, asOwner(withProduct))).toEqual([]);
  });

  it('changes the currency of a store with nothing priced yet, and requests see it at once', async () => {
    const store = await createStore(graph.client);
    await graph.client.data(`{ store { currencyCode } }`, {}, { store: store.slug });
    await succeed(graph.client, 'storeUpdate', { currencyCode: 'JPY' }, asOwner(store));
    const zone = await createZone(graph.client, store);
    // JPY has no minor units: the rate is checked and shown in the new currency.
    expect(
      await userErrorsOf(
        graph.client,
        'shippingRateCreate',
        { zoneId: zone.id, name: 'Post', price: '500.5' },
        asOwner(store),
      ),
    ).toEqual([['input.price', 'INVALID']]);
    const rate = await succeed(
      graph.client,
      'shippingRateCreate',
      { zoneId: zone.id, name: 'Post', price: '500' },
      asOwner(store),
    );
    expect(rate.shippingRate.price).toEqual({ amount: '500', currencyCode: 'JPY' });
  });
});

describe('storeConfigUpdate', () => {
  it('sets branding, SEO, contact, social links, business hours and settings as typed objects', async () => {
    const store = await createStore(graph.client);
    const payload = await succeed(
      graph.client,
      'storeConfigUpdate',
      {
        branding: {
          logoUrl: 'https://cdn.example.com/logo.png',
          faviconUrl: 'https://cdn.example.com/fav.ico',
          primaryColor: '#ABC',
          secondaryColor: '#102030',
          fontFamily: 'Inter',
        },
        seo: { metaTitle: 'Linen shirts', metaDescription: 'Shirts made of linen.' },
        contact: {
          phone: '+49 30 1234567',
          email: ' Hello@Shop.Example ',
          whatsapp: '+49 151 1234 5678',
          address: { address1: 'Hauptstr. 1', city: 'Berlin', zip: '10115', countryCode: 'de' },
        },
        socialLinks: { instagram: 'https://instagram.com/linen', x: 'https://x.com/linen' },
        businessHours: {
          monday: { closed: false, opensAt: '09:00', closesAt: '18:30' },
          saturday: { closed: false, opensAt: '10:00', closesAt: '24:00' },
          sunday: { closed: true },
        },
        settings: {
          guestCheckoutEnabled: false,
          emailVerificationRequired: true,
          reviewsEnabled: true,
          wishlistEnabled: true,
          reviewModerationRequired: true,
          buyersAnswerQuestions: true,
          minOrderAmount: '10',
          maxOrderAmount: '5000.50',
          lowStockThreshold: 3,
          paymentCaptureMode: 'MANUAL',
          partialDeliveryEnabled: true,
          returnWindowDays: 14,
        },
      },
      asOwner(store),
    );
    expect(payload.store).toEqual({
      branding: {
        logoUrl: 'https://cdn.example.com/logo.png',
        faviconUrl: 'https://cdn.example.com/fav.ico',
        primaryColor: '#aabbcc',
        secondaryColor: '#102030',
        accentColor: null,
        fontFamily: 'Inter',
      },
      seo: { metaTitle: 'Linen shirts', metaDescription: 'Shirts made of linen.' },
      contact: {
        phone: '+49 30 1234567',
        email: 'hello@shop.example',
        whatsapp: '+4915112345678',
        address: {
          address1: 'Hauptstr. 1',
          address2: '',
          city: 'Berlin',
          province: '',
          zip: '10115',
          countryCode: 'DE',
        },
      },
      socialLinks: {
        facebook: null,
        instagram: 'https://instagram.com/linen',
        x: 'https://x.com/linen',
        tiktok: null,
        youtube: null,
        linkedin: null,
        pinterest: null,
      },
      businessHours: {
        monday: { closed: false, opensAt: '09:00', closesAt: '18:30' },
        tuesday: null,
        saturday: { closed: false, opensAt: '10:00', closesAt: '24:00' },
        sunday: { closed: true, opensAt: null, closesAt: null },
      },
      settings: {
        guestCheckoutEnabled: false,
        emailVerificationRequired: true,
        reviewsEnabled: true,
        wishlistEnabled: true,
        reviewModerationRequired: true,
        buyersAnswerQuestions: true,
        minOrderAmount: { amount: '10.00', currencyCode: 'EUR' },
        maxOrderAmount: { amount: '5000.50', currencyCode: 'EUR' },
        lowStockThreshold: 3,
        paymentCaptureMode: 'MANUAL',
        partialDeliveryEnabled: true,
        returnWindowDays: 14,
      },
    });
  });

  it('merges field by field: left out stays, null clears', async () => {
    const store = await createStore(graph.client);
    await succeed(
      graph.client,
      'storeConfigUpdate',
      {
        branding: { primaryColor: '#000000', fontFamily: 'Inter' },
        contact: { phone: '+1 555 0100', address: { address1: '1 Main St', city: 'Springfield', countryCode: 'US' } },
        businessHours: { monday: { closed: true }, tuesday: { closed: true } },
        settings: { minOrderAmount: '5', maxOrderAmount: '50' },
      },
      asOwner(store),
    );
    const payload = await succeed(
      graph.client,
      'storeConfigUpdate',
      {
        branding: { fontFamily: null, accentColor: '#ffffff' },
        contact: { address: null },
        businessHours: { monday: null },
        settings: { maxOrderAmount: null },
      },
      asOwner(store),
    );
    expect(payload.store.branding).toMatchObject({ primaryColor: '#000000', fontFamily: null, accentColor: '#ffffff' });
    expect(payload.store.contact).toEqual({ phone: '+1 555 0100', email: null, whatsapp: null, address: null });
    expect(payload.store.businessHours.monday).toBeNull();
    expect(payload.store.businessHours.tuesday).toEqual({ closed: true, opensAt: null, closesAt: null });
    expect(payload.store.settings).toMatchObject({
      minOrderAmount: { amount: '5.00', currencyCode: 'EUR' },
      maxOrderAmount: null,
    });
  });

  it('answers every invalid field with a userError on its path, and saves nothing', async () => {
    const store = await createStore(graph.client);
    const errors = await userErrorsOf(
      graph.client,
      'storeConfigUpdate',
      {
        branding: {
          logoUrl: 'http://insecure.example.com/logo.png',
          faviconUrl: 'not a url',
          primaryColor: 'red',
          fontFamily: 'Inter; color: red',
        },
        seo: { metaTitle: 'x'.repeat(71), metaDescription: ' ' },
        contact: {
          phone: 'call me',
          email: 'nobody@',
          whatsapp: '0151 123',
          address: { address1: ' ', city: 'Berlin', countryCode: 'XX' },
        },
        socialLinks: { facebook: 'javascript:alert(1)' },
        businessHours: {
          monday: { closed: false, opensAt: '9:00', closesAt: '18:00' },
          tuesday: { closed: false, opensAt: '18:00', closesAt: '09:00' },
          wednesday: { closed: true, opensAt: '09:00' },
          thursday: { closed: false, opensAt: '09:00' },
        },
        settings: {
          guestCheckoutEnabled: null,
          minOrderAmount: '10.001',
          lowStockThreshold: -1,
          paymentCaptureMode: null,
          partialDeliveryEnabled: null,
          returnWindowDays: 366,
        },
      },
      asOwner(store),
    );
    expect(errors).toEqual([
      ['input.branding.logoUrl', 'INVALID'],
      ['input.branding.faviconUrl', 'INVALID'],
      ['input.branding.primaryColor', 'INVALID'],
      ['input.branding.fontFamily', 'INVALID'],
      ['input.seo.metaTitle', 'TOO_LONG'],
      ['input.seo.metaDescription', 'BLANK'],
      ['input.contact.phone', 'INVALID'],
      ['input.contact.email', 'INVALID'],
      ['input.contact.whatsapp', 'INVALID'],
      ['input.contact.address.address1', 'BLANK'],
      ['input.contact.address.countryCode', 'INVALID'],
      ['input.socialLinks.facebook', 'INVALID'],
      ['input.businessHours.monday.opensAt', 'INVALID'],
      ['input.businessHours.tuesday.closesAt', 'INVALID'],
      ['input.businessHours.wednesday', 'INVALID'],
      ['input.businessHours.thursday.closesAt', 'BLANK'],
      ['input.settings.guestCheckoutEnabled', 'BLANK'],
      ['input.settings.partialDeliveryEnabled', 'BLANK'],
      ['input.settings.paymentCaptureMode', 'BLANK'],
      ['input.settings.lowStockThreshold', 'INVALID'],
      ['input.settings.returnWindowDays', 'INVALID'],
      ['input.settings.minOrderAmount', 'INVALID'],
    ]);
    const data = await graph.client.data(
      `{ store { branding { logoUrl } settings { guestCheckoutEnabled lowStockThreshold returnWindowDays } } }`,
      {},
      { store: store.slug },
    );
    expect(data.store).toEqual({
      branding: { logoUrl: null },
      settings: { guestCheckoutEnabled: true, lowStockThreshold: 5, returnWindowDays: 30 },
    });
  });

  it('checks the order limits against each other, including a limit already saved', async () => {
    const store = await createStore(graph.client);
    expect(
      await userErrorsOf(
        graph.client,
        'storeConfigUpdate',
        { settings: { minOrderAmount: '20', maxOrderAmount: '10' } },
        asOwner(store),
      ),
    ).toEqual([['input.settings.maxOrderAmount', 'INVALID']]);
    await succeed(graph.client, 'storeConfigUpdate', { settings: { maxOrderAmount: '100' } }, asOwner(store));
    expect(
      await userErrorsOf(graph.client, 'storeConfigUpdate', { settings: { minOrderAmount: '100.01' } }, asOwner(store)),
    ).toEqual([['input.settings.maxOrderAmount', 'INVALID']]);
  });

  it('is readable by storefronts: anyone in the store sees branding, hours and settings', async () => {
    const store = await createStore(graph.client);
    await succeed(
      graph.client,
      'storeConfigUpdate',
      { seo: { metaTitle: 'Hello' }, settings: { wishlistEnabled: true } },
      asOwner(store),
    );
    const data = await graph.client.data(
      `{ store { seo { metaTitle } settings { wishlistEnabled } } }`,
      {},
      { store: store.slug },
    );
    expect(data.store).toEqual({ seo: { metaTitle: 'Hello' }, settings: { wishlistEnabled: true } });
  });
});

describe('a store that is not ACTIVE', () => {
  it('answers storefronts, customers and other sellers with STORE_UNAVAILABLE while its staff can still read and update it', async () => {
    const store = await createStore(graph.client);
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const customer = await signUpCustomer(graph.client, store);
    const stranger = await signUpSeller(graph.client);
    await succeed(graph.client, 'storeUpdate', { status: 'INACTIVE' }, asOwner(store));

    const closed = await graph.client.execute(`{ store { id name } }`, {}, { store: store.slug });
    expect(errorCodes(closed)).toEqual(['STORE_UNAVAILABLE']);
    expect(closed.errors?.[0]?.message).toContain('closed');
    expect(
      errorCodes(
        await graph.client.execute(`{ store { products(first: 1) { nodes { id } } } }`, {}, { store: store.slug }),
      ),
    ).toEqual(['STORE_UNAVAILABLE']);
    expect(
      errorCodes(await graph.client.execute(`{ currentCustomer { email } }`, {}, { token: customer.accessToken })),
    ).toEqual(['STORE_UNAVAILABLE']);
    expect(
      errorCodes(
        await graph.client.execute(`{ store { slug } }`, {}, { token: stranger.accessToken, store: store.slug }),
      ),
    ).toEqual(['STORE_UNAVAILABLE']);
    expect(
      errorCodes(
        await execute(
          graph.client,
          'storeUpdate',
          { status: 'ACTIVE' },
          { token: stranger.accessToken, store: store.slug },
        ),
      ),
    ).toEqual(['STORE_UNAVAILABLE']);

    const asStaff = await graph.client.data(
      `{ store { slug status viewerRole } }`,
      {},
      { token: manager.accessToken, store: store.slug },
    );
    expect(asStaff.store).toEqual({ slug: store.slug, status: 'INACTIVE', viewerRole: 'MANAGER' });
    await succeed(graph.client, 'storeConfigUpdate', { seo: { metaTitle: 'Back soon' } }, asOwner(store));

    await succeed(graph.client, 'storeUpdate', { status: 'ACTIVE' }, asOwner(store));
    const open = await graph.client.data(`{ store { status seo { metaTitle } } }`, {}, { store: store.slug });
    expect(open.store).toEqual({ status: 'ACTIVE', seo: { metaTitle: 'Back soon' } });
  });

  it('in MAINTENANCE says so, also for requests through its custom domain', async () => {
    const store = await createStore(graph.client);
    const hostname = `${store.slug}.shops.example.com`;
    await owner.storeDomain.create({
      data: { storeId: keyOf(store.id), hostname, verificationToken: 't', verifiedAt: new Date() },
    });
    await succeed(graph.client, 'storeUpdate', { status: 'MAINTENANCE' }, asOwner(store));
    const response = await graph.client.execute(
      `{ store { slug } }`,
      {},
      { headers: { 'x-forwarded-host': hostname } },
    );
    expect(errorCodes(response)).toEqual(['STORE_UNAVAILABLE']);
    expect(response.errors?.[0]?.message).toContain('maintenance');
  });
});
