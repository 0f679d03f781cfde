// The store's review settings, which the catalog reads from the Store row (docs/data-ownership.md):
// in the statement of a product listing (as one more column), by a loader elsewhere, and inside
// the transaction of every review and question mutation, so a change of setting applies at once.
import { Prisma, type Transaction } from '@commerce/database';
import { rowByKey } from '@commerce/graphql-kit';

/** What a store has chosen about reviews and questions. */
export interface ReviewSettings {
  /** Reviews and questions are shown and accepted. */
  enabled: boolean;
  /** New reviews, questions and buyers' answers wait for staff (PENDING) instead of being published. */
  moderated: boolean;
  /** Customers who bought a product may answer questions about it. */
  buyersAnswer: boolean;
}

const OFF: ReviewSettings = { enabled: false, moderated: false, buyersAnswer: false };

const SELECT = { id: true, reviewsEnabled: true, reviewModerationRequired: true, buyersAnswerQuestions: true } as const;

type SettingsRow = { reviewsEnabled: boolean; reviewModerationRequired: boolean; buyersAnswerQuestions: boolean };

function settingsOf(row: SettingsRow | null | undefined): ReviewSettings {
  if (!row) return OFF;
  return {
    enabled: row.reviewsEnabled,
    moderated: row.reviewModerationRequired,
    buyersAnswer: row.buyersAnswerQuestions,
  };
}

/** The settings of each store, in the order given (off for a store the transaction cannot see). */
export async function readReviewSettings(tx: Transaction, storeIds: readonly string[]): Promise<ReviewSettings[]> {
  const rows = await tx.store.findMany({ where: { id: { in: [...storeIds] } }, select: SELECT });
  return rowByKey(storeIds, rows, (row) => row.id).map(settingsOf);
}

/** The settings of one store, read in the caller's transaction. */
export async function storeReviewSettings(tx: Transaction, storeId: string): Promise<ReviewSettings> {
  const [settings] = await readReviewSettings(tx, [storeId]);
  return settings ?? OFF;
}

/** A select-list column with the store's settings as JSON, for a query that reads products anyway. */
export function reviewSettingsColumn(store: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT jsonb_build_object('reviewsEnabled', s."reviewsEnabled",
      'reviewModerationRequired', s."reviewModerationRequired", 'buyersAnswerQuestions', s."buyersAnswerQuestions")
    FROM "Store" s WHERE s."id" = ${store}) AS "includedReviewSettings"`;
}

/** The settings from reviewSettingsColumn's JSON. */
export function reviewSettingsFromJson(json: unknown): ReviewSettings {
  return settingsOf(json as SettingsRow | null);
}
