/** ISO-8601 as people write it: a date, optionally a time (`T` or a space), seconds, fractions, `Z` or an offset. */
const ISO_INSTANT = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2})?)?)?)?$/;
/** The form every stored timestamp has (`Date.toISOString()`): text order is time order. */
const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The instant an ISO-8601 date or date-time stands for, written as stored timestamps are
 * (`2026-12-04T21:00:00-05:00` is `2026-12-05T02:00:00.000Z`); null for anything else, or a day
 * or time that does not exist (`2026-02-30`, `24:00`). No offset is UTC, a date alone its UTC
 * midnight; fractions below a millisecond are cut.
 */
export function readInstant(text: string): string | null {
  const match = ISO_INSTANT.exec(text);
  if (!match) return null;
  const [, year, month = '01', day = '01', hours = '00', minutes = '00', seconds = '00', fraction = '', offset = 'Z'] = match;
  const time = new Date(0);
  // setUTCFullYear, not Date.UTC: that one reads the years 0 to 99 as 1900 to 1999.
  time.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  time.setUTCHours(Number(hours), Number(minutes), Number(seconds), Number(fraction.slice(0, 3).padEnd(3, '0')));
  const fields = [time.getUTCFullYear(), time.getUTCMonth() + 1, time.getUTCDate(), time.getUTCHours(), time.getUTCMinutes(), time.getUTCSeconds()];
  if (fields.join() !== [year, month, day, hours, minutes, seconds].map(Number).join()) return null;
  let shiftMinutes = 0;
  if (offset !== 'Z' && offset !== 'z') {
    const offsetHours = Number(offset.slice(1, 3));
    const offsetMinutes = Number(offset.slice(-2));
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    shiftMinutes = (offset.startsWith('+') ? 1 : -1) * (offsetHours * 60 + offsetMinutes);
  }
  const instant = new Date(time.getTime() - shiftMinutes * 60_000).toISOString();
  return STORED_INSTANT.test(instant) ? instant : null;
}

/** Is this a real instant written as stored timestamps are (what readInstant gives)? */
export const isStoredInstant = (value: unknown): boolean =>
  typeof value === 'string' && STORED_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
