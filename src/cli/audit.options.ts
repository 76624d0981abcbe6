import { USER_ID } from '../personal-data/personal-data.erasures';
import { usageError } from './audit.errors';

/** Option values as typed on the command line, checked before any store is opened. */

/** A case revision as the API counts them: 1 is the creation. */
export function parseRevision(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw usageError(
      `--revision must be a whole number of 1 or more (1 is the creation), got "${raw}"`,
    );
  }
  return value;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * An ISO 8601 date-time with a zone: a time without one would mean the auditor's local time,
 * which nobody reading the output later can know. `Date.parse` alone is too lenient (it rolls
 * 2026-02-30 over into March), so the calendar fields are checked too.
 */
export function parseAt(raw: string): Date {
  const match = ISO_DATE_TIME.exec(raw.trim());
  const at = new Date(raw.trim());
  const [, year, month, day, hour, minute, second = '0'] = match ?? [];
  const calendarDateExists =
    match !== null &&
    new Date(Date.UTC(+year!, +month! - 1, +day!)).getUTCDate() === +day! &&
    +month! >= 1 &&
    +month! <= 12 &&
    +hour! <= 23 &&
    +minute! <= 59 &&
    +second <= 59;
  if (!calendarDateExists || Number.isNaN(at.getTime())) {
    throw usageError(
      `--at must be an ISO 8601 date-time with a zone, such as 2026-11-24T10:00:00Z or 2026-11-24T11:00:00+01:00, got "${raw}"`,
    );
  }
  return at;
}

/** A global position, exclusive: 0 (or no option) means from the first event. */
export function parseAfter(raw: string): bigint {
  if (!/^\d+$/.test(raw) || BigInt(raw) > 0xffff_ffff_ffff_ffffn) {
    throw usageError(
      `--after must be a global position (a whole number of 0 or more), got "${raw}"`,
    );
  }
  return BigInt(raw);
}

export type ExportFormat = 'jsonl' | 'csv';

/** The person `forget` erases: a user id, checked before the store and the keys are opened. */
export function parseUserId(raw: string): string {
  if (!USER_ID.test(raw)) throw usageError(`"${raw}" is not a user id such as USR-1234-5678.`);
  return raw;
}
