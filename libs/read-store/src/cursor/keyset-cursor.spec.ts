import { Query } from 'mingo';
import { InvalidCursorError } from '../read-store.errors';
import { randomBytes } from 'node:crypto';
import { SECRET_KEY_BYTES, SecretBox } from '@ledgerdesk/shared';
import { decodeCursor, encodeCursor, keysetFilter, listScope, sealCursorsWith } from './keyset-cursor';

const LIST = listScope('tickets', { workspace_id: 'w-1' });

describe('keyset cursor', () => {
  it('round-trips sort values through an opaque URL-safe string', () => {
    const values = ['2026-05-04T10:55:02.123Z', 1002, null, 'f3b1c0de-0000-4000-8000-000000000000'];
    const cursor = encodeCursor(LIST, values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, LIST, 4)).toEqual(values);
    expect(encodeCursor(LIST, values)).toBe(cursor); // one page, one cursor
  });

  it('reads a cursor made before cursors named their list (its values alone), so paging goes on through an upgrade', () => {
    const values = ['created_at', -1, '2026-05-04T10:55:02.123Z', 'f3b1c0de-0000-4000-8000-000000000000'];
    expect(decodeCursor(Buffer.from(JSON.stringify(values)).toString('base64url'), LIST, 4)).toEqual(values);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['not an array', Buffer.from('{"a":1}').toString('base64url')],
    ['wrong length', encodeCursor(LIST, ['x'])],
    ['object values', encodeCursor(LIST, [{ $gt: '' }, 'id'])],
    ['of another list', encodeCursor(listScope('customers', { workspace_id: 'w-1' }), ['a', 'b'])],
    ['of another workspace', encodeCursor(listScope('tickets', { workspace_id: 'w-2' }), ['a', 'b'])],
    ['of another filter', encodeCursor(listScope('tickets', { workspace_id: 'w-1', status: { $in: ['open'] } }), ['a', 'b'])],
    ['too long', 'a'.repeat(5000)],
  ])('rejects a cursor that is %s', (_label, cursor) => {
    expect(() => decodeCursor(cursor, LIST, 2)).toThrow(InvalidCursorError);
  });

  it('builds the strictly-after chain for a descending sort', () => {
    expect(
      keysetFilter(
        [
          ['created_at', -1],
          ['_id', -1],
        ],
        ['2026-01-02', 'b'],
      ),
    ).toEqual({ $or: [{ created_at: { $lt: '2026-01-02' } }, { created_at: '2026-01-02', _id: { $lt: 'b' } }] });
  });

  it('takes in null or missing values where they sort, for a field that may hold them', () => {
    const asc = (value: string | null): unknown =>
      keysetFilter(
        [
          ['email', 1, true],
          ['_id', 1],
        ],
        [value, 'b'],
      );
    const desc = (value: string | null): unknown =>
      keysetFilter(
        [
          ['email', -1, true],
          ['_id', -1],
        ],
        [value, 'b'],
      );
    expect(asc(null)).toEqual({ $or: [{ email: { $ne: null } }, { email: null, _id: { $gt: 'b' } }] });
    expect(asc('a@x')).toEqual({ $or: [{ email: { $gt: 'a@x' } }, { email: 'a@x', _id: { $gt: 'b' } }] });
    expect(desc('a@x')).toEqual({ $or: [{ $or: [{ email: { $lt: 'a@x' } }, { email: null }] }, { email: 'a@x', _id: { $lt: 'b' } }] });
    expect(desc(null)).toEqual({ email: null, _id: { $lt: 'b' } });
  });

  it('uses $gt for ascending keys and chains three keys', () => {
    expect(
      keysetFilter(
        [
          ['priority', -1],
          ['created_at', 1],
          ['_id', 1],
        ],
        [3, 'c', 'id'],
      ),
    ).toEqual({
      $or: [{ priority: { $lt: 3 } }, { priority: 3, created_at: { $gt: 'c' } }, { priority: 3, created_at: 'c', _id: { $gt: 'id' } }],
    });
  });

  it('selects exactly the rows after the cursor row under the sort', () => {
    const rows = [];
    for (let i = 0; i < 40; i++) rows.push({ _id: `id${String(i).padStart(2, '0')}`, priority: i % 3, created_at: `2026-01-0${i % 4}` });
    const sort: Array<[string, 1 | -1]> = [
      ['priority', -1],
      ['created_at', 1],
      ['_id', 1],
    ];
    const cmp = (a: Record<string, unknown>, b: Record<string, unknown>) => {
      for (const [field, direction] of sort) {
        const x = a[field] as string | number;
        const y = b[field] as string | number;
        if (x !== y) return (x < y ? -1 : 1) * direction;
      }
      return 0;
    };
    const ordered = [...rows].sort(cmp);
    for (let i = 0; i < ordered.length; i++) {
      const at = ordered[i];
      const query = new Query(keysetFilter(sort, [at.priority, at.created_at, at._id]));
      expect(ordered.filter((row) => query.test(row))).toEqual(ordered.slice(i + 1));
    }
  });

  it('requires _id as the last sort key', () => {
    expect(() => keysetFilter([['created_at', -1]], ['x'])).toThrow('_id');
  });
});

// Last in this file: sealing, once configured, stays on for the process.
describe('keyset cursor, sealed with the secrets key', () => {
  const box = new SecretBox(randomBytes(SECRET_KEY_BYTES)).register();
  beforeAll(() => sealCursorsWith(box));

  it('round-trips without showing its values, and a process with the same key reads it', () => {
    const values = ['created_at', 1, 7, 'f3b1c0de-0000-4000-8000-000000000000'];
    const cursor = encodeCursor(LIST, values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor.length).toBeLessThan(400);
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain('f3b1c0de');
    expect(decodeCursor(cursor, LIST, 4)).toEqual(values);
    expect(encodeCursor(LIST, values)).toBe(cursor); // one page, one cursor
  });

  it('refuses a cursor it did not make, or one altered', () => {
    const forged = Buffer.from(JSON.stringify(['created_at', -1, 'garbage', 'x'])).toString('base64url');
    expect(() => decodeCursor(forged, LIST, 4)).toThrow(InvalidCursorError);
    const sealed = Buffer.from(encodeCursor(LIST, ['created_at', -1, 'a', 'b']), 'base64url').toString('utf8');
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(() => decodeCursor(Buffer.from(flipped).toString('base64url'), LIST, 4)).toThrow(InvalidCursorError);
    const otherKey = new SecretBox(randomBytes(SECRET_KEY_BYTES));
    expect(() => decodeCursor(Buffer.from(otherKey.seal('["a",1,"b","c"]')).toString('base64url'), LIST, 4)).toThrow(InvalidCursorError);
  });
});
