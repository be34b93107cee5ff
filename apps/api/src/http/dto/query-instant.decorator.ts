import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isISO8601, ValidateBy } from 'class-validator';

/** The form every stored timestamp has (`Date.toISOString()`): text order is time order. */
const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The one reading of a timestamp in a query string: an ISO-8601 date-time (`Z` or a `±hh:mm`
 * offset, with or without fractions of a second; no offset is UTC; a date alone is its UTC
 * midnight) as the instant it stands for, written as stored timestamps are, so filters compare
 * moments and not spellings (`2026-12-04T21:00:00-05:00` is `2026-12-05T02:00:00.000Z`).
 * Anything else is left as it came, for the validator to refuse.
 */
export function parseQueryInstant(value: unknown): unknown {
  if (typeof value !== 'string' || !isISO8601(value, { strict: true })) return value;
  // A date-time without an offset is UTC, as a date alone is (Date.parse would take the server's zone).
  const text = value.replace(' ', 'T');
  const ms = Date.parse(/T[\d:.,]+$/.test(text) ? `${text}Z` : text);
  if (Number.isNaN(ms)) return value;
  const instant = new Date(ms).toISOString();
  return STORED_INSTANT.test(instant) ? instant : value;
}

/** Is this a real instant written as stored timestamps are (what parseQueryInstant gives)? */
export const isStoredInstant = (value: unknown): boolean =>
  typeof value === 'string' && STORED_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;

/** A timestamp query parameter, read by parseQueryInstant. */
export const QueryInstant = () =>
  applyDecorators(
    Transform(({ value }) => parseQueryInstant(value)),
    ValidateBy({
      name: 'isInstant',
      validator: {
        validate: isStoredInstant,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO-8601 timestamp, e.g. 2026-12-05T09:30:00Z`,
      },
    }),
  );
