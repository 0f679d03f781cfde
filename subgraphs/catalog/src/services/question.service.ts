// Product questions and answers: customers ask, staff answer, and so do buyers of the product when
// the store allows it. Moderation as for reviews: what a customer writes waits for staff when the
// store moderates; staff answers are published at once.
import { randomUUID } from 'node:crypto';
import type { Prisma, Product, ProductAnswer, ProductQuestion, Transaction } from '@commerce/database';
import {
  InputErrors,
  keyOf,
  keyOrNull,
  notFound,
  prismaConnection,
  prismaSortKey,
  requireCustomer,
  requirePermission,
  requireStaffPermission,
  unauthenticated,
  userError,
  type Connection,
  type PageArgs,
  type RequestContext,
  type UserError,
} from '@commerce/graphql-kit';
import { hasBoughtProduct } from '@commerce/purchases';
import type {
  ProductAnswerModerateInput,
  ProductQuestionAnswerInput,
  ProductQuestionAskInput,
  ProductQuestionFilter,
  ProductQuestionModerateInput,
  ProductReviewErrorCode,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { announceQuestion } from './catalog-events.js';
import { emptyConnection, listedStatuses, reviewsShown } from './review-read.service.js';
import { storeReviewSettings } from './review-settings.js';
import { authorNameOf, checkPlainText, TEXT_LIMITS, withinPostingRate } from './review-rules.js';
import { isActiveProduct, REVIEWS_DISABLED, seesUnpublishedReviews, THROTTLED } from './review.service.js';

type Errors = UserError<ProductReviewErrorCode>[];

export interface QuestionResult {
  question: ProductQuestion | null;
  userErrors: Errors;
}

export interface AnswerResult {
  answer: ProductAnswer | null;
  question: ProductQuestion | null;
  userErrors: Errors;
}

const noQuestion = (userErrors: Errors): QuestionResult => ({ question: null, userErrors });
const noAnswer = (userErrors: Errors): AnswerResult => ({ answer: null, question: null, userErrors });

const QUESTION_ORDER = prismaSortKey({
  field: 'createdAt',
  kind: 'date',
  descending: true,
  value: (question: ProductQuestion) => question.createdAt,
});

/** A signed-in customer asks about a product of the store. */
export async function askQuestion(context: RequestContext, input: ProductQuestionAskInput): Promise<QuestionResult> {
  const { customerId, storeId } = requireCustomer(context);
  const productId = keyOf(input.productId, 'Product', ['input', 'productId']);
  const errors = new InputErrors<ProductReviewErrorCode>();
  checkPlainText(errors, ['input', 'body'], input.body, TEXT_LIMITS.question);
  if (!errors.ok) return noQuestion(errors.errors);
  return context.db.transaction(async (tx) => {
    const settings = await storeReviewSettings(tx, storeId);
    if (!settings.enabled) return noQuestion([REVIEWS_DISABLED]);
    if (!(await isActiveProduct(tx, storeId, productId))) throw notFound(`Product "${input.productId}"`);
    const authorName = await authorNameOf(tx, storeId, customerId);
    if (authorName === null) throw unauthenticated('This customer account cannot ask questions.');
    if (!(await withinPostingRate(tx, storeId, customerId))) return noQuestion([THROTTLED]);
    const question = await tx.productQuestion.create({
      data: {
        id: randomUUID(),
        storeId,
        productId,
        customerId,
        authorName,
        body: input.body.trim(),
        status: settings.moderated ? 'PENDING' : 'PUBLISHED',
      },
    });
    await announceQuestion(tx, storeId, 'question.asked', question);
    return { question, userErrors: [] };
  });
}

async function questionIn(tx: Transaction, storeId: string, questionId: string): Promise<ProductQuestion | null> {
  return tx.productQuestion.findUnique({ where: { storeId_id: { storeId, id: questionId } } });
}

/** Who may answer, and how: staff always (published at once); a buyer of the product when the store allows. */
type Answerer =
  | { kind: 'staff'; sellerId: string; storeId: string }
  | { kind: 'buyer'; customerId: string; storeId: string };

async function answerer(context: RequestContext): Promise<Answerer> {
  // Answers carry a person's name, so apps (which may moderate) do not answer.
  if (context.viewer.kind !== 'customer') {
    const { sellerId, storeId } = await requireStaffPermission(context, 'MANAGE_PRODUCTS');
    return { kind: 'staff', sellerId, storeId };
  }
  const { customerId, storeId } = requireCustomer(context);
  return { kind: 'buyer', customerId, storeId };
}

/** Answers a question: staff who may manage products, or a buyer of the product when the store allows. */
export async function answerQuestion(
  context: RequestContext,
  input: ProductQuestionAnswerInput,
): Promise<AnswerResult> {
  const author = await answerer(context);
  const { storeId } = author;
  const questionId = keyOf(input.questionId, 'ProductQuestion', ['input', 'questionId']);
  const errors = new InputErrors<ProductReviewErrorCode>();
  checkPlainText(errors, ['input', 'body'], input.body, TEXT_LIMITS.answer);
  if (!errors.ok) return noAnswer(errors.errors);
  return context.db.transaction(async (tx) => {
    const settings = await storeReviewSettings(tx, storeId);
    if (!settings.enabled) return noAnswer([REVIEWS_DISABLED]);
    const question = await questionIn(tx, storeId, questionId);
    // Customers answer only what they can see.
    if (!question || (author.kind === 'buyer' && question.status !== 'PUBLISHED'))
      throw notFound(`Question "${input.questionId}"`);
    let row: Prisma.ProductAnswerUncheckedCreateInput;
    const base = { id: randomUUID(), storeId, questionId, body: input.body.trim() };
    if (author.kind === 'staff') {
      const authorName = await storeName(tx, storeId);
      row = { ...base, authorType: 'STAFF', sellerId: author.sellerId, authorName, status: 'PUBLISHED' };
    } else {
      if (!settings.buyersAnswer)
        return noAnswer([
          userError(null, 'This store does not let buyers answer questions.', 'BUYER_ANSWERS_DISABLED'),
        ]);
      if (!(await hasBoughtProduct(tx, storeId, author.customerId, question.productId)))
        return noAnswer([userError(null, 'Only customers who bought this product may answer.', 'NOT_A_BUYER')]);
      const authorName = await authorNameOf(tx, storeId, author.customerId);
      if (authorName === null) throw unauthenticated('This customer account cannot answer questions.');
      if (!(await withinPostingRate(tx, storeId, author.customerId))) return noAnswer([THROTTLED]);
      row = {
        ...base,
        authorType: 'BUYER',
        customerId: author.customerId,
        authorName,
        status: settings.moderated ? 'PENDING' : 'PUBLISHED',
      };
    }
    const answer = await tx.productAnswer.create({ data: row });
    await announceQuestion(tx, storeId, 'question.answered', question, answer.id);
    return { answer, question, userErrors: [] };
  });
}

/** The store's name, shown with staff answers. */
async function storeName(tx: Transaction, storeId: string): Promise<string> {
  const store = await tx.store.findUnique({ where: { id: storeId }, select: { name: true } });
  return store?.name ?? 'Store';
}

/** Staff publish, hide or requeue a question. */
export async function moderateQuestion(
  context: RequestContext,
  input: ProductQuestionModerateInput,
): Promise<QuestionResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const questionId = keyOf(input.questionId, 'ProductQuestion', ['input', 'questionId']);
  return context.db.transaction(async (tx) => {
    if (!(await storeReviewSettings(tx, storeId)).enabled) return noQuestion([REVIEWS_DISABLED]);
    if (!(await questionIn(tx, storeId, questionId))) throw notFound(`Question "${input.questionId}"`);
    const question = await tx.productQuestion.update({
      where: { storeId_id: { storeId, id: questionId } },
      data: { status: input.status },
    });
    await announceQuestion(tx, storeId, 'question.updated', question);
    return { question, userErrors: [] };
  });
}

/** Staff publish, hide or requeue an answer. */
export async function moderateAnswer(
  context: RequestContext,
  input: ProductAnswerModerateInput,
): Promise<AnswerResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const answerId = keyOf(input.answerId, 'ProductAnswer', ['input', 'answerId']);
  return context.db.transaction(async (tx) => {
    if (!(await storeReviewSettings(tx, storeId)).enabled) return noAnswer([REVIEWS_DISABLED]);
    const existing = await tx.productAnswer.findUnique({ where: { storeId_id: { storeId, id: answerId } } });
    if (!existing) throw notFound(`Answer "${input.answerId}"`);
    const answer = await tx.productAnswer.update({
      where: { storeId_id: { storeId, id: answerId } },
      data: { status: input.status },
    });
    const question = await questionIn(tx, storeId, answer.questionId);
    if (!question) throw notFound(`Question of answer "${input.answerId}"`);
    await announceQuestion(tx, storeId, 'question.updated', question, answer.id);
    return { answer, question, userErrors: [] };
  });
}

/** A page of a product's questions, newest first. */
export async function listQuestions(
  context: SubgraphContext,
  product: Product,
  args: PageArgs & { filter?: ProductQuestionFilter | null },
): Promise<Connection<ProductQuestion>> {
  if (!(await reviewsShown(context, product))) return emptyConnection();
  const statuses = await listedStatuses(context, args.filter?.status, ['filter', 'status']);
  const where: Prisma.ProductQuestionWhereInput = {
    storeId: product.storeId,
    productId: product.id,
    ...(statuses ? { status: { in: statuses } } : {}),
  };
  return prismaConnection({
    args,
    sort: QUESTION_ORDER,
    fetch: (page) => context.db.read((tx) => tx.productQuestion.findMany(page.findManyArgs(where))),
    count: () => context.db.read((tx) => tx.productQuestion.count({ where })),
  });
}

/** A question's answers the caller may see, oldest first (one statement for a page of questions). */
export async function answersOf(context: SubgraphContext, question: ProductQuestion): Promise<ProductAnswer[]> {
  const answers = await context.loaders.answersByQuestion.load(question.id);
  if (await seesUnpublishedReviews(context)) return answers;
  return answers.filter((answer) => answer.status === 'PUBLISHED');
}

/** The question an entity reference (or `node`) names, if the caller may see it. */
export async function findQuestion(context: SubgraphContext, id: string): Promise<ProductQuestion | null> {
  const key = keyOrNull(id, 'ProductQuestion');
  const question = key === null ? null : await context.loaders.questionById.load(key);
  if (!question) return null;
  const product = await context.loaders.productById.load(question.productId);
  if (!product || !(await reviewsShown(context, product))) return null;
  if (question.status === 'PUBLISHED' && product.status === 'ACTIVE') return question;
  return (await seesUnpublishedReviews(context)) ? question : null;
}
