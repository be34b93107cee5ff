import { hash } from 'node:crypto';
import { isSealed, openSecret, type SecretBox } from '@ledgerdesk/shared';
import type { Filter } from '../read-store.port';
import { InvalidCursorError } from '../read-store.errors';

/**
 * Keyset ("seek") pagination shared by every list endpoint. A cursor holds the sort values
 * of the last row served, `_id` last, so rows sharing a timestamp are neither repeated nor
 * skipped, and a write between two pages cannot shift them the way `skip` would.
 */
/** `mayBeNull`: some rows hold null or nothing in the field (a customer without an email). */
export type KeysetSort = Array<[field: string, direction: 1 | -1, mayBeNull?: boolean]>;
type CursorValue = string | number | boolean | null;

const MAX_CURSOR_LENGTH = 2048;

/**
 * The secrets key cursors are sealed with (AES-GCM, stable: one page always has one cursor), once
 * the process has one: a cursor is then opaque (it shows no sort value, such as a message's
 * ticket revision) and tamper-evident (one not made by Ledgerdesk, or altered, is a 400 rather
 * than a position). Any registered key
 * opens them, so every process sharing the key, and a restart, reads the others' cursors.
 */
let sealingBox: Pick<SecretBox, 'sealStable'> | null = null;

export function sealCursorsWith(box: Pick<SecretBox, 'sealStable'>): void {
  sealingBox = box;
}

/**
 * What a cursor was issued for: the list (its name and whatever narrows it, such as the
 * workspace, the conversation or the query's filter). A cursor holds a digest of it and is
 * valid for that list alone: another list's cursor (or another workspace's) is a 400, not a
 * page of this one.
 */
export type CursorScope = string;

/** A list's scope from its name and its filter document (RegExps by their source). */
export function listScope(list: string, filter: unknown): CursorScope {
  return `${list}:${JSON.stringify(filter, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value))}`;
}

const digestOf = (scope: CursorScope): string => hash('sha256', scope, 'base64url').slice(0, 12);

export function encodeCursor(scope: CursorScope, values: unknown[]): string {
  const json = JSON.stringify({ list: digestOf(scope), values });
  return Buffer.from(sealingBox ? sealingBox.sealStable(json) : json, 'utf8').toString('base64url');
}

/**
 * The values of a cursor made by `encodeCursor` for `scope`; anything else is an
 * InvalidCursorError (a 400). Cursors of versions before scopes (their values alone) are still
 * read, so a client paging through an upgrade goes on.
 */
export function decodeCursor(cursor: string, scope: CursorScope, expectedLength: number): CursorValue[] {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursorError();
  }
  let values: unknown;
  try {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    // Once cursors are sealed, an unsealed one was not made here.
    if (sealingBox && !isSealed(text)) throw new InvalidCursorError();
    values = JSON.parse(isSealed(text) ? openSecret(text) : text);
  } catch {
    throw new InvalidCursorError();
  }
  // Before scopes a cursor was its values alone: an array.
  if (!Array.isArray(values)) {
    const scoped = values as { list?: unknown; values?: unknown } | null;
    if (typeof scoped !== 'object' || scoped === null || scoped.list !== digestOf(scope)) throw new InvalidCursorError();
    values = scoped.values;
  }
  if (!Array.isArray(values) || values.length !== expectedLength || !values.every(isCursorValue)) throw new InvalidCursorError();
  return values;
}

/**
 * The filter for "rows strictly after the row with these sort values" under `sort`:
 * `$or: [{a: {$lt: va}}, {a: va, _id: {$lt: vid}}]` for `{a: -1, _id: -1}`. Where a field may be
 * null or missing (`mayBeNull`), those rows sort first ascending and last descending, as MongoDB
 * orders them, so "after" takes them in explicitly (`$gt`/`$lt` never match null).
 */
export function keysetFilter(sort: KeysetSort, values: unknown[]): Filter {
  if (sort.length === 0 || sort[sort.length - 1][0] !== '_id') throw new Error('A keyset sort must end with _id');
  if (values.length !== sort.length) throw new InvalidCursorError();
  const branches: Filter[] = [];
  sort.forEach(([field, direction, mayBeNull = false], i) => {
    const after = afterValue(field, direction, values[i], mayBeNull);
    if (!after) return;
    const branch: Filter = {};
    for (let j = 0; j < i; j++) branch[sort[j][0]] = values[j];
    branches.push({ ...branch, ...after });
  });
  return branches.length === 1 ? branches[0] : { $or: branches };
}

/** The values of `field` after `value` in `direction` (null: none, the last of a descending order). */
function afterValue(field: string, direction: 1 | -1, value: unknown, mayBeNull: boolean): Filter | null {
  if (value === null) return direction === 1 ? { [field]: { $ne: null } } : null;
  if (direction === 1) return { [field]: { $gt: value } };
  return mayBeNull ? { $or: [{ [field]: { $lt: value } }, { [field]: null }] } : { [field]: { $lt: value } };
}

function isCursorValue(value: unknown): value is CursorValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
