import type { Filter, ProjectedDocument, Sort } from '../read-store.port';
import { MemoryReadCollection } from './memory-read-collection';
import { TokenIndex, requiredTokens } from './token-index';

describe('TokenIndex', () => {
  const index = new TokenIndex<ProjectedDocument>({ keys: { tokens: 1 }, tokens: true });
  const doc = (id: string, tokens: unknown) => ({ _id: id, _position: 1, tokens });

  it('intersects posting lists, smallest first, and follows rewrites', () => {
    index.ensureBuilt([doc('a', [1, 2, 3]), doc('b', [2, 3]), doc('c', [3, 4]), doc('d', 2), doc('e', [])]);
    const ids = (tokens: number[]) => index.intersect(tokens).map((slot) => index.idAt(slot));
    expect(ids([3])).toEqual(['a', 'b', 'c']);
    expect(ids([2, 3])).toEqual(['a', 'b']);
    expect(ids([2])).toEqual(['a', 'b', 'd']);
    expect(ids([1, 4])).toEqual([]);
    expect(ids([9])).toEqual([]);
    index.replace(doc('a', [1, 2, 3]), doc('a', [4]));
    expect(ids([4])).toEqual(['a', 'c']);
    expect(ids([1])).toEqual([]);
    index.add(doc('f', [4, 3]));
    expect(ids([3, 4])).toEqual(['c', 'f']);
  });

  it('reads the tokens a filter requires from equalities and $all, also under $and', () => {
    expect(requiredTokens({ tokens: { $all: [1, 2] } }, 'tokens')).toEqual([1, 2]);
    expect(requiredTokens({ w: 1, $and: [{ x: 1 }, { $and: [{ tokens: 5 }] }, { tokens: { $all: [6] } }] }, 'tokens')).toEqual([5, 6]);
    expect(requiredTokens({ $or: [{ tokens: 1 }] }, 'tokens')).toBeNull();
    expect(requiredTokens({ tokens: { $all: [] } }, 'tokens')).toBeNull();
    expect(requiredTokens({ tokens: { $in: [1] } }, 'tokens')).toBeNull();
  });
});

/** The planner's token paths (intersected candidates, or a sorted walk admitting them) against a plain scan. */
describe('MemoryReadCollection $all on a tokens index agrees with the full scan', () => {
  let seed = 5;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  // Token 0 is in most documents, 1..3 in many, the rest in few: both plans get chosen.
  const tokensFor = () => [...new Set([...(random(10) < 9 ? [0] : []), 1 + random(3), 4 + random(40), 4 + random(400)])];
  const stamps = Array.from({ length: 30 }, (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`);
  const docs = Array.from({ length: 3000 }, (_, i) => ({
    _id: `d${String(i).padStart(5, '0')}`,
    _position: i + 1,
    workspace_id: `w${random(2)}`,
    created_at: stamps[random(30)],
    tokens: Object.freeze(tokensFor()),
  }));
  let indexed: MemoryReadCollection;
  let plain: MemoryReadCollection;

  beforeAll(async () => {
    indexed = new MemoryReadCollection('indexed');
    plain = new MemoryReadCollection('plain');
    await indexed.ensureIndexes([{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }, { keys: { tokens: 1 }, tokens: true }]);
    const half = docs.length / 2;
    for (const doc of docs.slice(0, half)) for (const c of [indexed, plain]) await c.put(doc);
    // The index is built by a first query; later writes maintain it.
    await indexed.find({ tokens: { $all: [0] } });
    for (const doc of docs.slice(half)) for (const c of [indexed, plain]) await c.put(doc);
    for (const doc of docs.filter((_, i) => i % 4 === 0)) {
      // Same token array (a projection's spread), then new tokens.
      const moved = { ...doc, _position: doc._position + 10000, created_at: stamps[random(30)] };
      const retokened = { ...moved, _position: moved._position + 10000, tokens: Object.freeze(tokensFor()) };
      for (const c of [indexed, plain]) {
        await c.put(moved);
        if (random(2) === 0) await c.put(retokened);
      }
    }
    for (const c of [indexed, plain]) await c.updateMany({ workspace_id: 'w1', tokens: { $all: [2, 0] } }, { $push: { tokens: 999 } }, 90000);
  });

  const filters: Filter[] = [
    { workspace_id: 'w0', tokens: { $all: [0] } },
    { workspace_id: 'w1', $and: [{ created_at: { $gte: stamps[5] } }, { tokens: { $all: [0, 2] } }] },
    { workspace_id: 'w0', $and: [{ $and: [{ tokens: { $all: [7] } }] }] },
    { workspace_id: 'w1', tokens: { $all: [10, 0] } },
    { tokens: { $all: [3, 1] } },
    { tokens: 999 },
    { workspace_id: 'w0', tokens: { $all: [100000] } },
  ];
  const sorts: Sort[] = [{ created_at: -1, _id: -1 }, { created_at: 1, _id: 1 }, {}];

  it.each(filters.flatMap((filter) => sorts.map((sort) => [JSON.stringify(filter), JSON.stringify(sort), filter, sort] as const)))(
    'filter %s sort %s',
    async (_f, _s, filter, sort) => {
      for (const [skip, limit] of [
        [0, 21],
        [40, 5],
        [0, 0],
      ]) {
        const expected = (await plain.find(filter, { sort, skip, limit })).map((d) => d._id);
        const actual = (await indexed.find(filter, { sort, skip, limit })).map((d) => d._id);
        if (Object.keys(sort).length > 0) expect(actual).toEqual(expected);
        else {
          // Unsorted, any `limit` matches will do.
          const all = new Set((await plain.find(filter)).map((d) => d._id));
          expect(actual).toHaveLength(expected.length);
          expect(actual.every((id) => all.has(id))).toBe(true);
        }
      }
      expect(await indexed.count(filter)).toBe(await plain.count(filter));
    },
  );
});
