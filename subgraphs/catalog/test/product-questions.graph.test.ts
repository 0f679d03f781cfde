import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { insertCustomer } from '@commerce/testkit/checkout-kit';
import {
  ANSWER_MODERATE,
  insertBuyer,
  PRODUCT_QUESTIONS,
  QUESTION_ANSWER,
  QUESTION_ASK,
  QUESTION_MODERATE,
  setReviewSettings,
  type ReviewSettingsInput,
} from '@commerce/testkit/review-kit';

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

interface Answer {
  id: string;
  body: string;
  authorType: string;
  authorName: string;
  status: string;
}
interface Question {
  id: string;
  body: string;
  authorName: string;
  status: string;
  answers: Answer[];
}

async function storeWithProduct(settings: ReviewSettingsInput = {}) {
  const store = await createStore(graph.client);
  await setReviewSettings(graph.client, store, { reviewsEnabled: true, ...settings });
  const product = await createProduct(graph.client, store);
  return { store, product };
}

/** Runs a mutation and returns its payload, or the codes of its errors. */
async function run(
  query: string,
  input: Record<string, unknown>,
  store: TestStore,
  token?: string,
): Promise<{ payload: Record<string, any> | null; codes: string[] }> {
  const response = await graph.client.execute(query, { input }, { token, store: store.slug });
  if (response.errors?.length) return { payload: null, codes: errorCodes(response) };
  const [payload] = Object.values(response.data ?? {}) as Record<string, any>[];
  return { payload: payload ?? null, codes: (payload?.userErrors ?? []).map((error: { code: string }) => error.code) };
}

async function questionsOf(store: TestStore, productId: string, token?: string, filter?: Record<string, unknown>) {
  const data = await graph.client.data(PRODUCT_QUESTIONS, { id: productId, filter }, { store: store.slug, token });
  return data.store.product.questions as { nodes: Question[]; totalCount: number };
}

describe('product questions', () => {
  it('a customer asks, staff answer, and the storefront shows both', async () => {
    const { store, product } = await storeWithProduct();
    const customer = await insertCustomer(owner, store);
    const asked = await run(
      QUESTION_ASK,
      { productId: product.id, body: 'Is it waterproof?' },
      store,
      customer.accessToken,
    );
    expect(asked.payload?.question).toMatchObject({
      body: 'Is it waterproof?',
      status: 'PUBLISHED',
      authorName: 'Test B.',
    });
    const questionId = asked.payload?.question.id;

    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const answered = await run(QUESTION_ANSWER, { questionId, body: 'Yes, to 10 m.' }, store, manager.accessToken);
    expect(answered.payload?.answer).toMatchObject({
      authorType: 'STAFF',
      status: 'PUBLISHED',
      authorName: `Store ${store.slug}`,
    });

    expect(await questionsOf(store, product.id)).toEqual({
      nodes: [
        {
          id: questionId,
          body: 'Is it waterproof?',
          authorName: 'Test B.',
          status: 'PUBLISHED',
          answers: [expect.objectContaining({ body: 'Yes, to 10 m.', authorType: 'STAFF' })],
        },
      ],
      totalCount: 1,
    });
    const events = await owner.outboxEvent.findMany({
      where: { storeId: keyOf(store.id), type: { in: ['question.asked', 'question.answered'] } },
      orderBy: { sequence: 'asc' },
    });
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      ['question.asked', { questionId, productId: product.id, status: 'PUBLISHED' }],
      [
        'question.answered',
        { questionId, productId: product.id, status: 'PUBLISHED', answerId: answered.payload?.answer.id },
      ],
    ]);

    // Staff who may not manage products cannot answer; anonymous callers cannot ask.
    const clerk = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect((await run(QUESTION_ANSWER, { questionId, body: 'No.' }, store, clerk.accessToken)).codes).toEqual([
      'FORBIDDEN',
    ]);
    expect((await run(QUESTION_ASK, { productId: product.id, body: 'Hello?' }, store)).codes).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(
      (await run(QUESTION_ASK, { productId: product.id, body: '<script>x</script>' }, store, customer.accessToken))
        .codes,
    ).toEqual(['CONTAINS_HTML']);
  });

  it('lets buyers answer only when the store allows it, and moderates what customers write', async () => {
    const { store, product } = await storeWithProduct({ reviewModerationRequired: true });
    const asker = await insertCustomer(owner, store);
    const asked = await run(
      QUESTION_ASK,
      { productId: product.id, body: 'Does it run small?' },
      store,
      asker.accessToken,
    );
    expect(asked.payload?.question.status).toBe('PENDING');
    const questionId = asked.payload?.question.id;
    expect((await questionsOf(store, product.id)).nodes).toEqual([]);
    expect((await questionsOf(store, product.id, store.owner.accessToken)).nodes.map((node) => node.id)).toEqual([
      questionId,
    ]);

    const buyer = await insertBuyer(owner, store, product.id);
    // Customers answer only questions they can see.
    expect((await run(QUESTION_ANSWER, { questionId, body: 'No.' }, store, buyer.accessToken)).codes).toEqual([
      'NOT_FOUND',
    ]);
    const published = await run(QUESTION_MODERATE, { questionId, status: 'PUBLISHED' }, store, store.owner.accessToken);
    expect(published.payload?.question.status).toBe('PUBLISHED');

    expect((await run(QUESTION_ANSWER, { questionId, body: 'No.' }, store, buyer.accessToken)).codes).toEqual([
      'BUYER_ANSWERS_DISABLED',
    ]);
    await setReviewSettings(graph.client, store, { buyersAnswerQuestions: true });
    const stranger = await insertCustomer(owner, store);
    expect((await run(QUESTION_ANSWER, { questionId, body: 'No.' }, store, stranger.accessToken)).codes).toEqual([
      'NOT_A_BUYER',
    ]);
    const byBuyer = await run(QUESTION_ANSWER, { questionId, body: 'True to size.' }, store, buyer.accessToken);
    expect(byBuyer.payload?.answer).toMatchObject({ authorType: 'BUYER', status: 'PENDING' });
    expect((await questionsOf(store, product.id)).nodes[0]?.answers).toEqual([]);

    const shown = await run(
      ANSWER_MODERATE,
      { answerId: byBuyer.payload?.answer.id, status: 'PUBLISHED' },
      store,
      store.owner.accessToken,
    );
    expect(shown.payload?.answer.status).toBe('PUBLISHED');
    expect((await questionsOf(store, product.id)).nodes[0]?.answers).toMatchObject([
      { body: 'True to size.', authorType: 'BUYER', status: 'PUBLISHED' },
    ]);

    // Hidden questions leave the storefront; storefronts cannot ask for them.
    await run(QUESTION_MODERATE, { questionId, status: 'HIDDEN' }, store, store.owner.accessToken);
    expect((await questionsOf(store, product.id)).totalCount).toBe(0);
    const peek = await graph.client.execute(
      PRODUCT_QUESTIONS,
      { id: product.id, filter: { status: 'HIDDEN' } },
      { store: store.slug },
    );
    expect(errorCodes(peek)).toEqual(['FORBIDDEN']);
  });

  it('takes and shows nothing when the store turns reviews off', async () => {
    const { store, product } = await storeWithProduct();
    const customer = await insertCustomer(owner, store);
    await run(QUESTION_ASK, { productId: product.id, body: 'Any colours?' }, store, customer.accessToken);
    await setReviewSettings(graph.client, store, { reviewsEnabled: false });
    expect(await questionsOf(store, product.id)).toEqual({ nodes: [], totalCount: 0 });
    expect(
      (await run(QUESTION_ASK, { productId: product.id, body: 'Any sizes?' }, store, customer.accessToken)).codes,
    ).toEqual(['REVIEWS_DISABLED']);
  });
});
