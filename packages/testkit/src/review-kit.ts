// Reviews and questions: the operations the catalog's engagement tests run, and the arranging of
// stores that take reviews and of customers who bought a product.
import type { PrismaClient } from '@commerce/database';
import { insertCustomer, type InsertedCustomer } from './checkout-kit.js';
import type { GraphClient, GraphQLResponse } from './client.js';
import { insertOrder } from './orders.js';
import type { TestStore } from './seed.js';

const USER_ERRORS = 'userErrors { field message code }';

export const REVIEW_FIELDS =
  'id rating title body authorName verifiedBuyer status helpfulCount reply repliedAt product { id }';
export const RATING_FIELDS = 'rating { average count distribution { rating count } }';

export const REVIEW_CREATE = `mutation ($input: ProductReviewCreateInput!) { productReviewCreate(input: $input) { review { ${REVIEW_FIELDS} } ${USER_ERRORS} } }`;
export const REVIEW_UPDATE = `mutation ($input: ProductReviewUpdateInput!) { productReviewUpdate(input: $input) { review { ${REVIEW_FIELDS} } ${USER_ERRORS} } }`;
export const REVIEW_DELETE = `mutation ($id: ID!) { productReviewDelete(reviewId: $id) { deletedReviewId ${USER_ERRORS} } }`;
export const REVIEW_MODERATE = `mutation ($input: ProductReviewModerateInput!) { productReviewModerate(input: $input) { review { ${REVIEW_FIELDS} } ${USER_ERRORS} } }`;
export const REVIEW_HELPFUL = `mutation ($id: ID!) { productReviewMarkHelpful(reviewId: $id) { review { id helpfulCount } ${USER_ERRORS} } }`;
export const QUESTION_ASK = `mutation ($input: ProductQuestionAskInput!) { productQuestionAsk(input: $input) { question { id body authorName status } ${USER_ERRORS} } }`;
export const QUESTION_ANSWER = `mutation ($input: ProductQuestionAnswerInput!) { productQuestionAnswer(input: $input) { answer { id body authorType authorName status } question { id } ${USER_ERRORS} } }`;
export const QUESTION_MODERATE = `mutation ($input: ProductQuestionModerateInput!) { productQuestionModerate(input: $input) { question { id status } ${USER_ERRORS} } }`;
export const ANSWER_MODERATE = `mutation ($input: ProductAnswerModerateInput!) { productAnswerModerate(input: $input) { answer { id status } ${USER_ERRORS} } }`;

/** A product's rating and a page of its reviews. */
export const PRODUCT_REVIEWS = `query ($id: ID!, $first: Int, $after: String, $sortKey: ProductReviewSortKeys, $filter: ProductReviewFilter) {
  store { product(id: $id) { id ${RATING_FIELDS}
    reviews(first: $first, after: $after, sortKey: $sortKey, filter: $filter) {
      nodes { ${REVIEW_FIELDS} } pageInfo { hasNextPage endCursor } totalCount } } } }`;

/** A product's questions with their answers. */
export const PRODUCT_QUESTIONS = `query ($id: ID!, $filter: ProductQuestionFilter) {
  store { product(id: $id) { questions(first: 20, filter: $filter) {
    nodes { id body authorName status answers { id body authorType authorName status } } totalCount } } } }`;

export interface ReviewSettingsInput {
  reviewsEnabled?: boolean;
  reviewModerationRequired?: boolean;
  buyersAnswerQuestions?: boolean;
}

/** Changes the store's review settings as its owner. */
export async function setReviewSettings(
  client: GraphClient,
  store: TestStore,
  settings: ReviewSettingsInput,
): Promise<void> {
  const data = await client.data<{ storeConfigUpdate: { userErrors: unknown[] } }>(
    `mutation ($input: StoreConfigUpdateInput!) { storeConfigUpdate(input: $input) { ${USER_ERRORS} } }`,
    { input: { settings } },
    { token: store.owner.accessToken, store: store.slug },
  );
  if (data.storeConfigUpdate.userErrors.length) throw new Error(JSON.stringify(data.storeConfigUpdate.userErrors));
}

/** A customer of the store with a paid order of the product (a verified buyer of it). */
export async function insertBuyer(
  owner: PrismaClient,
  store: TestStore,
  productId: string,
  order: { status?: 'CANCELLED'; paid?: boolean } = {},
): Promise<InsertedCustomer> {
  const customer = await insertCustomer(owner, store);
  await insertOrder(owner, store, {
    customer,
    paid: order.paid ?? true,
    status: order.status,
    lines: [{ title: 'Reviewed product', quantity: 1, unitPrice: '10.00', productId }],
  });
  return customer;
}

/** The payload of a review or question mutation, whatever its name. */
export function payloadOf<Payload>(response: GraphQLResponse<Record<string, unknown>>): Payload {
  const [payload] = Object.values(response.data ?? {});
  if (payload === undefined) throw new Error(`no payload: ${JSON.stringify(response.errors)}`);
  return payload as Payload;
}

/** The codes of a payload's userErrors. */
export function userErrorCodes(payload: { userErrors: { code: string }[] }): string[] {
  return payload.userErrors.map((error) => error.code);
}
