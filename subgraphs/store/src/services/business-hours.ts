// Opening hours per weekday, stored on the store row as a JSON array of
// { weekday, closed, opensAt, closesAt } (one entry per weekday that the store has set).
import type { Prisma } from '@commerce/database';
import type { InputErrors } from '@commerce/graphql-kit';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export type Weekday = (typeof WEEKDAYS)[number];

export interface DayHours {
  closed: boolean;
  opensAt: string | null;
  closesAt: string | null;
}

/** The week as the API shows it: null for a weekday the store has not set. */
export type BusinessHours = Record<Weekday, DayHours | null>;

export interface DayHoursInput {
  closed: boolean;
  opensAt?: string | null;
  closesAt?: string | null;
}

/** A patch of the week: undefined keeps a day, null clears it. */
export type BusinessHoursPatch = Partial<Record<Weekday, DayHoursInput | null>>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function isWeekday(value: unknown): value is Weekday {
  return typeof value === 'string' && (WEEKDAYS as readonly string[]).includes(value);
}

/** The stored hours; entries that are not well-formed are ignored. */
export function readBusinessHours(json: Prisma.JsonValue): BusinessHours {
  const week: BusinessHours = {
    monday: null,
    tuesday: null,
    wednesday: null,
    thursday: null,
    friday: null,
    saturday: null,
    sunday: null,
  };
  if (!Array.isArray(json)) return week;
  for (const entry of json) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const { weekday, closed, opensAt, closesAt } = entry;
    if (!isWeekday(weekday) || typeof closed !== 'boolean') continue;
    week[weekday] = closed
      ? { closed, opensAt: null, closesAt: null }
      : { closed, opensAt: String(opensAt), closesAt: String(closesAt) };
  }
  return week;
}

/** The hours as stored: weekdays in order, unset ones left out. */
export function businessHoursJson(week: BusinessHours): Prisma.InputJsonValue {
  return WEEKDAYS.flatMap((weekday) => {
    const day = week[weekday];
    return day ? [{ weekday, closed: day.closed, opensAt: day.opensAt, closesAt: day.closesAt }] : [];
  });
}

function readDay(input: DayHoursInput, path: string[], errors: InputErrors<StoreErrorCode>): DayHours | null {
  if (input.closed) {
    if (input.opensAt != null || input.closesAt != null) {
      errors.add(path, 'A closed day has no opening or closing time; leave them out.', 'INVALID');
      return null;
    }
    return { closed: true, opensAt: null, closesAt: null };
  }
  const before = errors.errors.length;
  const opensAt = input.opensAt?.trim() ?? '';
  const closesAt = input.closesAt?.trim() ?? '';
  if (!TIME.test(opensAt))
    errors.add(
      [...path, 'opensAt'],
      'Give the opening time as HH:MM, from 00:00 to 23:59.',
      opensAt === '' ? 'BLANK' : 'INVALID',
    );
  if (!TIME.test(closesAt) && closesAt !== '24:00') {
    errors.add(
      [...path, 'closesAt'],
      'Give the closing time as HH:MM, at most 24:00.',
      closesAt === '' ? 'BLANK' : 'INVALID',
    );
  }
  if (errors.errors.length > before) return null;
  // HH:MM strings compare in time order; hours past midnight belong to the next day.
  if (closesAt <= opensAt) {
    errors.add(
      [...path, 'closesAt'],
      'The closing time must be later than the opening time; for hours past midnight close at 24:00 and open the next day at 00:00.',
      'INVALID',
    );
    return null;
  }
  return { closed: false, opensAt, closesAt };
}

/** Merges a patch into the week, checking each given day; problems are added to `errors`. */
export function patchBusinessHours(
  current: BusinessHours,
  patch: BusinessHoursPatch,
  path: string[],
  errors: InputErrors<StoreErrorCode>,
): BusinessHours {
  const next: BusinessHours = { ...current };
  for (const weekday of WEEKDAYS) {
    const day = patch[weekday];
    if (day === undefined) continue;
    if (day === null) {
      next[weekday] = null;
      continue;
    }
    const hours = readDay(day, [...path, weekday], errors);
    if (hours) next[weekday] = hours;
  }
  return next;
}
