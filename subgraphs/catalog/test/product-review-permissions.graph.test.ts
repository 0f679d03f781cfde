// Who may moderate reviews and questions and answer questions: every role of the store's staff, a
// seller from outside, a customer of the store and an anonymous caller, against each mutation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient, StaffRole } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  ownerPrisma,
  sharedTestGraph,
  signUpSeller,
  type RequestOptions,
  type SharedTestGraph,
  type TestProduct,
  type TestStore,
} from '@commerce/testkit';
import { insertCustomer } from '@commerce/testkit/checkout-kit';
import {
  ANSWER_MODERATE,
  QUESTION_ANSWER,
  QUESTION_ASK,
  QUESTION_MODERATE,
  REVIEW_CREATE,
  REVIEW_DELETE,
  REVIEW_MODERATE,
  setReviewSettings,
} from '@commerce/testkit/review-kit';

type Actor = StaffRole | 'OTHER_SELLER' | 'CUSTOMER' | 'ANONYMOUS';
const ACTORS: Actor[] = ['OWNER', 'ADMIN', 'MANAGER', 'STAFF', 'OTHER_SELLER', 'CUSTOMER', 'ANONYMOUS'];

let graph: SharedTestGraph;
let owner: PrismaClient;
let store: TestStore;
let product: TestProduct;
const actors = new Map<Actor, RequestOptions>();

beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
  store = await createStore(graph.client);
  await setReviewSettings(graph.client, store, { reviewsEnabled: true });
  product = await createProduct(graph.client, store);
  actors.set('OWNER', { token: store.owner.accessToken, store: store.slug });
  for (const role of ['ADMIN', 'MANAGER', 'STAFF'] as const) {
    const seller = await addStaffMember(graph.client, owner, store, role);
    actors.set(role, { token: seller.accessToken, store: store.slug });
  }
  actors.set('OTHER_SELLER', { token: (await signUpSeller(graph.client)).accessToken, store: store.slug });
  actors.set('CUSTOMER', { token: (await insertCustomer(owner, store)).accessToken, store: store.slug });
  actors.set('ANONYMOUS', { store: store.slug });
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

/** A review and a question, with an answer, by a customer of their own, for one actor's attempt. */
async function arrange(): Promise<{ reviewId: string; questionId: string; answerId: string }> {
  const author = await insertCustomer(owner, store);
  const as = { token: author.accessToken, store: store.slug };
  const reviewed = await graph.client.data(
    REVIEW_CREATE,
    { input: { productId: product.id, rating: 4, title: 'Fine', body: 'Fine.' } },
    as,
  );
  const asked = await graph.client.data(QUESTION_ASK, { input: { productId: product.id, body: 'Why?' } }, as);
  const questionId = asked.productQuestionAsk.question.id;
  const answered = await graph.client.data(
    QUESTION_ANSWER,
    { input: { questionId, body: 'Because.' } },
    { token: store.owner.accessToken, store: store.slug },
  );
  return {
    reviewId: reviewed.productReviewCreate.review.id,
    questionId,
    answerId: answered.productQuestionAnswer.answer.id,
  };
}

const STAFF_ONLY = {
  OWNER: 'ok',
  ADMIN: 'ok',
  MANAGER: 'ok',
  STAFF: 'FORBIDDEN',
  OTHER_SELLER: 'FORBIDDEN',
  CUSTOMER: 'UNAUTHENTICATED',
  ANONYMOUS: 'UNAUTHENTICATED',
};

const CASES: {
  mutation: string;
  variables: (ids: Awaited<ReturnType<typeof arrange>>) => Record<string, unknown>;
  expected: Record<Actor, string>;
}[] = [
  {
    mutation: REVIEW_MODERATE,
    variables: ({ reviewId }) => ({ input: { reviewId, status: 'HIDDEN', reply: 'Noted.' } }),
    expected: STAFF_ONLY,
  },
  {
    mutation: REVIEW_DELETE,
    // A customer may delete their own review only; this one is someone else's.
    variables: ({ reviewId }) => ({ id: reviewId }),
    expected: { ...STAFF_ONLY, CUSTOMER: 'NOT_FOUND' },
  },
  {
    mutation: QUESTION_MODERATE,
    variables: ({ questionId }) => ({ input: { questionId, status: 'HIDDEN' } }),
    expected: STAFF_ONLY,
  },
  {
    mutation: ANSWER_MODERATE,
    variables: ({ answerId }) => ({ input: { answerId, status: 'HIDDEN' } }),
    expected: STAFF_ONLY,
  },
  {
    mutation: QUESTION_ANSWER,
    variables: ({ questionId }) => ({ input: { questionId, body: 'An answer.' } }),
    // The store lets no buyers answer (and this customer bought nothing).
    expected: { ...STAFF_ONLY, CUSTOMER: 'BUYER_ANSWERS_DISABLED' },
  },
  {
    mutation: REVIEW_CREATE,
    variables: () => ({ input: { productId: product.id, rating: 5, title: 'Mine', body: 'Mine.' } }),
    expected: {
      OWNER: 'UNAUTHENTICATED',
      ADMIN: 'UNAUTHENTICATED',
      MANAGER: 'UNAUTHENTICATED',
      STAFF: 'UNAUTHENTICATED',
      OTHER_SELLER: 'UNAUTHENTICATED',
      CUSTOMER: 'ok',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
];

describe('the permission matrix of reviews and questions', () => {
  for (const [index, testCase] of CASES.entries()) {
    const name = /\{\s*(\w+)\(/.exec(testCase.mutation)?.[1] ?? `case ${index}`;
    it(`${name}: every actor gets what the matrix says`, async () => {
      const outcomes: Record<string, string> = {};
      for (const actor of ACTORS) {
        const ids = await arrange();
        const response = await graph.client.execute(testCase.mutation, testCase.variables(ids), actors.get(actor));
        const [payload] = Object.values(response.data ?? {}) as { userErrors: { code: string }[] }[];
        outcomes[actor] = errorCodes(response)[0] ?? payload?.userErrors[0]?.code ?? 'ok';
      }
      expect(outcomes).toEqual(testCase.expected);
    });
  }
});
