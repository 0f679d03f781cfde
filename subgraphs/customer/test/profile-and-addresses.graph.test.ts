import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStore,
  errorCodes,
  sharedTestGraph,
  type SharedTestGraph,
  signUpCustomer,
  type TestCustomer,
} from '@commerce/testkit';

let graph: SharedTestGraph;
beforeAll(async () => {
  graph = await sharedTestGraph();
});
afterAll(async () => {
  await graph.close();
});

const UPDATE = `mutation ($input: CustomerUpdateInput!) {
  customerUpdate(input: $input) {
    customer { firstName lastName phone dateOfBirth gender acceptsMarketing locale currencyCode }
    userErrors { field code }
  }
}`;
const ADDRESS_FIELDS = `id firstName lastName company address1 address2 city province provinceCode countryCode zip phone`;
const CREATE = `mutation ($input: CustomerAddressCreateInput!) {
  customerAddressCreate(input: $input) { address { ${ADDRESS_FIELDS} } customer { defaultShippingAddress { id } defaultBillingAddress { id } } userErrors { field code } }
}`;
const UPDATE_ADDRESS = `mutation ($input: CustomerAddressUpdateInput!) {
  customerAddressUpdate(input: $input) { address { ${ADDRESS_FIELDS} } userErrors { field code } }
}`;
const DELETE_ADDRESS = `mutation ($input: CustomerAddressDeleteInput!) {
  customerAddressDelete(input: $input) { deletedAddressId customer { defaultShippingAddress { id } defaultBillingAddress { id } } userErrors { code } }
}`;
const SET_DEFAULT = `mutation ($addressId: ID!, $shipping: Boolean, $billing: Boolean) {
  customerDefaultAddressSet(addressId: $addressId, shipping: $shipping, billing: $billing) {
    customer { defaultAddress { id } defaultShippingAddress { id } defaultBillingAddress { id } } userErrors { field code }
  }
}`;
const BOOK = `{ currentCustomer { addresses { id city } defaultShippingAddress { id } defaultBillingAddress { id } } }`;

const HOME = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  address1: 'Main Street 1',
  city: 'Berlin',
  countryCode: 'de',
  zip: '10115',
};
const OFFICE = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: 'Engines Ltd',
  address1: 'Dock Road 7',
  city: 'London',
  countryCode: 'GB',
  phone: '+44 20 7946 0000',
};

async function addAddress(customer: TestCustomer, input: Record<string, unknown>): Promise<string> {
  const data = await graph.client.data(CREATE, { input }, { token: customer.accessToken });
  expect(data.customerAddressCreate.userErrors).toEqual([]);
  return data.customerAddressCreate.address.id;
}

describe("a customer's profile", () => {
  it('customerUpdate changes names, phone, birthday, gender, marketing and preferences; null clears optional fields', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const input = {
      firstName: ' Augusta ',
      phone: '+49 (30) 123-4567',
      dateOfBirth: '1815-12-10',
      gender: 'female',
      acceptsMarketing: true,
      locale: 'de-at',
      currencyCode: 'chf',
    };
    const early = await graph.client.data(UPDATE, { input }, { token: customer.accessToken });
    // Birthdays before 1900 are taken for typos.
    expect(early.customerUpdate.userErrors).toEqual([{ field: ['input', 'dateOfBirth'], code: 'INVALID' }]);

    const updated = await graph.client.data(
      UPDATE,
      { input: { ...input, dateOfBirth: '1990-12-10' } },
      { token: customer.accessToken },
    );
    expect(updated.customerUpdate).toEqual({
      customer: {
        firstName: 'Augusta',
        lastName: 'Lovelace',
        phone: '+49301234567',
        dateOfBirth: '1990-12-10',
        gender: 'female',
        acceptsMarketing: true,
        locale: 'de-AT',
        currencyCode: 'CHF',
      },
      userErrors: [],
    });
    const cleared = await graph.client.data(
      UPDATE,
      { input: { phone: null, dateOfBirth: '', gender: null, locale: null, currencyCode: null } },
      { token: customer.accessToken },
    );
    expect(cleared.customerUpdate.customer).toEqual({
      firstName: 'Augusta',
      lastName: 'Lovelace',
      phone: null,
      dateOfBirth: null,
      gender: null,
      acceptsMarketing: true,
      locale: null,
      currencyCode: null,
    });
  });

  it('customerUpdate reports every bad field at once and changes nothing', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const data = await graph.client.data(
      UPDATE,
      {
        input: {
          firstName: '  ',
          phone: '12ab',
          dateOfBirth: '2001-02-30',
          locale: 'not a locale!',
          currencyCode: 'XYZ',
          gender: 'x'.repeat(51),
        },
      },
      { token: customer.accessToken },
    );
    expect(data.customerUpdate.customer).toBeNull();
    expect(
      data.customerUpdate.userErrors.map(
        (error: { field: string[]; code: string }) => `${error.field.join('.')}:${error.code}`,
      ),
    ).toEqual([
      'input.firstName:BLANK',
      'input.phone:INVALID',
      'input.dateOfBirth:INVALID',
      'input.gender:TOO_LONG',
      'input.locale:INVALID',
      'input.currencyCode:INVALID',
    ]);
    const me = await graph.client.data(`{ currentCustomer { firstName phone } }`, {}, { token: customer.accessToken });
    expect(me.currentCustomer).toEqual({ firstName: 'Ada', phone: null });
  });

  it('customerUpdate is for signed-in customers only', async () => {
    const store = await createStore(graph.client);
    expect(
      errorCodes(await graph.client.execute(UPDATE, { input: { firstName: 'X' } }, { store: store.slug })),
    ).toEqual(['UNAUTHENTICATED']);
    expect(
      errorCodes(
        await graph.client.execute(
          UPDATE,
          { input: { firstName: 'X' } },
          { store: store.slug, token: store.owner.accessToken },
        ),
      ),
    ).toEqual(['UNAUTHENTICATED']);
  });
});

describe("a customer's addresses", () => {
  it('create, update, list and delete; the first address is the default for both uses', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const created = await graph.client.data(CREATE, { input: HOME }, { token: customer.accessToken });
    const homeId = created.customerAddressCreate.address.id;
    expect(created.customerAddressCreate).toEqual({
      address: {
        id: homeId,
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: '',
        address1: 'Main Street 1',
        address2: '',
        city: 'Berlin',
        province: '',
        provinceCode: '',
        countryCode: 'DE',
        zip: '10115',
        phone: '',
      },
      customer: { defaultShippingAddress: { id: homeId }, defaultBillingAddress: { id: homeId } },
      userErrors: [],
    });
    const officeId = await addAddress(customer, OFFICE);

    const changed = await graph.client.data(
      UPDATE_ADDRESS,
      { input: { id: officeId, address2: 'Floor 3', zip: 'E1 6AN' } },
      { token: customer.accessToken },
    );
    expect(changed.customerAddressUpdate.address).toMatchObject({
      id: officeId,
      address2: 'Floor 3',
      zip: 'E1 6AN',
      city: 'London',
      phone: '+442079460000',
    });

    const book = await graph.client.data(BOOK, {}, { token: customer.accessToken });
    expect(book.currentCustomer).toEqual({
      addresses: [
        { id: homeId, city: 'Berlin' },
        { id: officeId, city: 'London' },
      ],
      defaultShippingAddress: { id: homeId },
      defaultBillingAddress: { id: homeId },
    });

    const deleted = await graph.client.data(DELETE_ADDRESS, { input: { id: homeId } }, { token: customer.accessToken });
    expect(deleted.customerAddressDelete).toEqual({
      deletedAddressId: homeId,
      customer: { defaultShippingAddress: null, defaultBillingAddress: null },
      userErrors: [],
    });
    expect((await graph.client.data(BOOK, {}, { token: customer.accessToken })).currentCustomer.addresses).toEqual([
      { id: officeId, city: 'London' },
    ]);
  });

  it('default shipping and billing addresses are set separately', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const homeId = await addAddress(customer, HOME);
    const officeId = await addAddress(customer, OFFICE);

    const billing = await graph.client.data(
      SET_DEFAULT,
      { addressId: officeId, shipping: false },
      { token: customer.accessToken },
    );
    expect(billing.customerDefaultAddressSet).toEqual({
      customer: {
        defaultAddress: { id: homeId },
        defaultShippingAddress: { id: homeId },
        defaultBillingAddress: { id: officeId },
      },
      userErrors: [],
    });
    const shipping = await graph.client.data(
      SET_DEFAULT,
      { addressId: officeId, billing: false },
      { token: customer.accessToken },
    );
    expect(shipping.customerDefaultAddressSet.customer).toEqual({
      defaultAddress: { id: officeId },
      defaultShippingAddress: { id: officeId },
      defaultBillingAddress: { id: officeId },
    });
    const neither = await graph.client.data(
      SET_DEFAULT,
      { addressId: homeId, shipping: false, billing: false },
      { token: customer.accessToken },
    );
    expect(neither.customerDefaultAddressSet.userErrors).toEqual([{ field: ['shipping'], code: 'INVALID' }]);

    // Created with explicit defaults, a later address takes over only the uses asked for.
    const third = await graph.client.data(
      CREATE,
      { input: { ...HOME, city: 'Munich', defaultShipping: true, defaultBilling: false } },
      { token: customer.accessToken },
    );
    expect(third.customerAddressCreate.customer).toEqual({
      defaultShippingAddress: { id: third.customerAddressCreate.address.id },
      defaultBillingAddress: { id: officeId },
    });
  });

  it('required fields and ISO 3166-1 alpha-2 country codes are checked', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const missing = await graph.client.data(
      CREATE,
      { input: { firstName: ' ', lastName: 'L', address1: '', city: 'Berlin', countryCode: 'XX' } },
      { token: customer.accessToken },
    );
    expect(missing.customerAddressCreate.userErrors).toEqual([
      { field: ['input', 'firstName'], code: 'BLANK' },
      { field: ['input', 'address1'], code: 'BLANK' },
      { field: ['input', 'countryCode'], code: 'INVALID' },
    ]);
    for (const countryCode of ['EU', 'UK', 'DEU', 'd']) {
      const data = await graph.client.data(
        CREATE,
        { input: { ...HOME, countryCode } },
        { token: customer.accessToken },
      );
      expect({ countryCode, errors: data.customerAddressCreate.userErrors }).toEqual({
        countryCode,
        errors: [{ field: ['input', 'countryCode'], code: 'INVALID' }],
      });
    }
    const homeId = await addAddress(customer, HOME);
    const emptied = await graph.client.data(
      UPDATE_ADDRESS,
      { input: { id: homeId, city: '', countryCode: 'ZZ' } },
      { token: customer.accessToken },
    );
    expect(emptied.customerAddressUpdate.userErrors).toEqual([
      { field: ['input', 'city'], code: 'BLANK' },
      { field: ['input', 'countryCode'], code: 'INVALID' },
    ]);
  });

  it("another customer's address is NOT_FOUND, even with its id", async () => {
    const store = await createStore(graph.client);
    const owner = await signUpCustomer(graph.client, store);
    const intruder = await signUpCustomer(graph.client, store);
    const homeId = await addAddress(owner, HOME);
    expect(
      errorCodes(
        await graph.client.execute(
          UPDATE_ADDRESS,
          { input: { id: homeId, city: 'Paris' } },
          { token: intruder.accessToken },
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(
        await graph.client.execute(DELETE_ADDRESS, { input: { id: homeId } }, { token: intruder.accessToken }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(await graph.client.execute(SET_DEFAULT, { addressId: homeId }, { token: intruder.accessToken })),
    ).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(
        await graph.client.execute(
          UPDATE_ADDRESS,
          { input: { id: 'not-an-id', city: 'Paris' } },
          { token: intruder.accessToken },
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect((await graph.client.data(BOOK, {}, { token: owner.accessToken })).currentCustomer.addresses).toEqual([
      { id: homeId, city: 'Berlin' },
    ]);
  });
});
