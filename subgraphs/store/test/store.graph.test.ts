import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStore,
  errorCodes,
  signUpSeller,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
} from '@commerce/testkit';

let graph: SharedTestGraph;
beforeAll(async () => {
  graph = await sharedTestGraph();
});
afterAll(() => graph.close());

describe('sellers and stores through the gateway', () => {
  it('a seller signs up, creates a store and finds it among their stores as OWNER', async () => {
    const seller = await signUpSeller(graph.client);
    const store = await createStore(graph.client, { owner: seller });
    const data = await graph.client.data(
      `{ currentSeller { id email stores { id slug viewerRole } } }`,
      {},
      { token: seller.accessToken },
    );
    expect(data.currentSeller.email).toBe(seller.email);
    expect(data.currentSeller.stores).toEqual([{ id: store.id, slug: store.slug, viewerRole: 'OWNER' }]);
  });

  it('X-Store names the request store by slug or by id', async () => {
    const store = await createStore(graph.client);
    for (const reference of [store.slug, store.id]) {
      const data = await graph.client.data(`{ store { id slug currencyCode status } }`, {}, { store: reference });
      expect(data.store).toEqual({ id: store.id, slug: store.slug, currencyCode: 'EUR', status: 'ACTIVE' });
    }
  });

  it('an unknown X-Store is NOT_FOUND', async () => {
    const response = await graph.client.execute(`{ store { id } }`, {}, { store: unique('missing') });
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });

  it('a taken slug and bad input come back as userErrors with fields and codes', async () => {
    const store = await createStore(graph.client);
    const seller = await signUpSeller(graph.client);
    const data = await graph.client.data(
      `mutation ($input: StoreCreateInput!) { storeCreate(input: $input) { store { id } userErrors { field code } } }`,
      { input: { name: 'Copy', slug: store.slug, currencyCode: 'EUR' } },
      { token: seller.accessToken },
    );
    expect(data.storeCreate).toEqual({ store: null, userErrors: [{ field: ['input', 'slug'], code: 'TAKEN' }] });
    const invalid = await graph.client.data(
      `mutation ($input: StoreCreateInput!) { storeCreate(input: $input) { store { id } userErrors { field code } } }`,
      { input: { name: ' ', slug: 'Bad Slug', currencyCode: 'EURO', timezone: 'Mars/Olympus' } },
      { token: seller.accessToken },
    );
    expect(invalid.storeCreate.userErrors.map((error: { field: string[] }) => error.field.join('.'))).toEqual([
      'input.name',
      'input.slug',
      'input.currencyCode',
      'input.timezone',
    ]);
  });

  it('creating a store needs a signed-in seller', async () => {
    const response = await graph.client.execute(
      `mutation { storeCreate(input: { name: "x", slug: "${unique('s')}", currencyCode: "EUR" }) { store { id } } }`,
    );
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('log-in gives the same answer for a wrong password and an unknown email, and the right one lists the stores', async () => {
    const seller = await signUpSeller(graph.client);
    const store = await createStore(graph.client, { owner: seller });
    const query = `mutation ($input: SellerLogInInput!) { sellerLogIn(input: $input) { accessToken userErrors { code message } } }`;
    const wrong = await graph.client.data(query, { input: { email: seller.email, password: 'not the password' } });
    const unknown = await graph.client.data(query, {
      input: { email: `${unique('nobody')}@example.com`, password: 'not the password' },
    });
    expect(wrong).toEqual(unknown);
    const right = await graph.client.data(
      `mutation ($input: SellerLogInInput!) { sellerLogIn(input: $input) { accessToken seller { stores { slug viewerRole } } } }`,
      { input: { email: seller.email.toUpperCase(), password: seller.password } },
    );
    expect(right.sellerLogIn.accessToken).toEqual(expect.any(String));
    expect(right.sellerLogIn.seller.stores).toEqual([{ slug: store.slug, viewerRole: null }]);
  });

  it('a refresh token rotates, and replaying a spent one revokes the whole family', async () => {
    const seller = await signUpSeller(graph.client);
    const refresh = `mutation ($token: String!) { tokenRefresh(refreshToken: $token) { accessToken refreshToken userErrors { code } } }`;
    const first = await graph.client.data(refresh, { token: seller.refreshToken });
    expect(first.tokenRefresh.userErrors).toEqual([]);
    const me = await graph.client.data(`{ currentSeller { email } }`, {}, { token: first.tokenRefresh.accessToken });
    expect(me.currentSeller.email).toBe(seller.email);

    const replay = await graph.client.data(refresh, { token: seller.refreshToken });
    expect(replay.tokenRefresh.userErrors).toEqual([{ code: 'REFRESH_TOKEN_REUSED' }]);
    const afterReuse = await graph.client.data(refresh, { token: first.tokenRefresh.refreshToken });
    expect(afterReuse.tokenRefresh.userErrors).toEqual([{ code: 'REFRESH_TOKEN_REUSED' }]);
  });

  it('logOut ends the session', async () => {
    const seller = await signUpSeller(graph.client);
    const out = await graph.client.data(`mutation ($t: String!) { logOut(refreshToken: $t) { revoked } }`, {
      t: seller.refreshToken,
    });
    expect(out.logOut.revoked).toBe(true);
    const refreshed = await graph.client.data(
      `mutation ($t: String!) { tokenRefresh(refreshToken: $t) { accessToken userErrors { code } } }`,
      { t: seller.refreshToken },
    );
    expect(refreshed.tokenRefresh.accessToken).toBeNull();
  });

  it('a forged or expired token is UNAUTHENTICATED', async () => {
    const response = await graph.client.execute(`{ currentSeller { id } }`, {}, { token: 'eyJhbGciOiJub25lIn0.e30.' });
    expect(errorCodes(response)).toContain('UNAUTHENTICATED');
  });

  it('node resolves a store by global id only where it is visible', async () => {
    const store = await createStore(graph.client);
    const query = `query ($id: ID!) { node(id: $id) { id ... on Store { slug } } }`;
    const own = await graph.client.data(query, { id: store.id }, { token: store.owner.accessToken });
    expect(own.node).toEqual({ id: store.id, slug: store.slug });
    const stranger = await signUpSeller(graph.client);
    const hidden = await graph.client.data(query, { id: store.id }, { token: stranger.accessToken });
    expect(hidden.node).toBeNull();
  });

  it('node answers null for ids that name nothing, without an internal error', async () => {
    const forged = Buffer.from('Store:not-a-uuid').toString('base64url');
    const data = await graph.client.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: ['garbage', forged, Buffer.from('Spaceship:1').toString('base64url')],
    });
    expect(data.nodes).toEqual([null, null, null]);
  });
});
