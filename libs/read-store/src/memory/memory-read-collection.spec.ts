import { MemoryReadCollection } from './memory-read-collection';
import type { Filter, ProjectedDocument, Sort } from '../read-store.port';
import { keysetFilter } from '../cursor/keyset-cursor';

/**
 * The in-memory adapter answers from an index walk when it can and from a full scan otherwise.
 * Both must return exactly the same rows: this compares them on generated data.
 */
describe('MemoryReadCollection index paths agree with the full scan', () => {
  const statuses = ['new', 'open', 'pending', 'closed'];
  const stamps = Array.from({ length: 12 }, (_, i) => `2026-02-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`);
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };

  const docs: ProjectedDocument[] = [];
  for (let i = 0; i < 1500; i++) {
    docs.push({
      _id: `t${String(random(100000)).padStart(6, '0')}_${i}`,
      _position: i + 1,
      workspace_id: `w${random(3)}`,
      status: statuses[random(4)],
      priority: random(4),
      created_at: stamps[random(12)],
      updated_at: stamps[random(12)],
      tags: random(2) ? ['vip'] : [],
      ...(random(5) === 0 ? { deleted: true } : {}),
    });
  }

  let indexed: MemoryReadCollection;
  let plain: MemoryReadCollection;

  beforeAll(async () => {
    indexed = new MemoryReadCollection('indexed');
    plain = new MemoryReadCollection('plain');
    await indexed.ensureIndexes([
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, priority: -1, created_at: -1, _id: -1 } },
      { keys: { status: 1 } },
    ]);
    for (const doc of docs) {
      await indexed.put(doc);
      await plain.put(doc);
    }
    // Rewrite a third of them so index entries move.
    for (const doc of docs.filter((_, i) => i % 3 === 0)) {
      const moved = { ...doc, _position: doc._position + 10000, updated_at: stamps[random(12)], priority: random(4) };
      await indexed.put(moved);
      await plain.put(moved);
    }
    await indexed.updateMany({ workspace_id: 'w1', status: 'new' }, { $set: { status: 'open', updated_at: stamps[11] } }, 50000);
    await plain.updateMany({ workspace_id: 'w1', status: 'new' }, { $set: { status: 'open', updated_at: stamps[11] } }, 50000);
  });

  const sorts: Sort[] = [
    { created_at: -1, _id: -1 },
    { created_at: 1, _id: 1 },
    { updated_at: -1, _id: -1 },
    { priority: -1, created_at: -1, _id: -1 },
    { priority: 1, created_at: 1, _id: 1 },
    { created_at: -1 },
    { created_at: -1, _id: 1 },
  ];
  const filters: Filter[] = [
    { workspace_id: 'w1' },
    { workspace_id: 'w2', deleted: { $ne: true }, status: { $in: ['open', 'pending'] } },
    { workspace_id: 'w0', tags: { $in: ['vip'] }, created_at: { $gte: stamps[3], $lt: stamps[9] } },
    { workspace_id: { $eq: 'w1' }, status: 'closed' },
    { status: 'pending' },
    { workspace_id: 'w1', created_at: { $lte: stamps[5] } },
  ];

  it.each(sorts.flatMap((sort) => filters.map((filter) => [JSON.stringify(sort), JSON.stringify(filter), sort, filter] as const)))(
    'sort %s filter %s',
    async (_s, _f, sort, filter) => {
      for (const [skip, limit] of [
        [0, 20],
        [15, 7],
        [0, 0],
      ]) {
        const expected = await plain.find(filter, { sort, skip, limit });
        const actual = await indexed.find(filter, { sort, skip, limit });
        if (Object.keys(sort).includes('_id')) expect(actual.map((d) => d._id)).toEqual(expected.map((d) => d._id));
        else expect(actual.map((d) => d.created_at)).toEqual(expected.map((d) => d.created_at));
      }
      expect(await indexed.count(filter)).toBe(await plain.count(filter));
    },
  );

  it('seeks keyset pages through the index to the same rows as the scan', async () => {
    const sort: Array<[string, 1 | -1]> = [
      ['priority', -1],
      ['created_at', -1],
      ['_id', -1],
    ];
    const base = { workspace_id: 'w2', deleted: { $ne: true } };
    const pages = async (collection: MemoryReadCollection) => {
      const seen: string[] = [];
      let last: ProjectedDocument | undefined;
      for (;;) {
        const filter = last ? { $and: [base, keysetFilter(sort, [last.priority, last.created_at, last._id])] } : base;
        const rows = await collection.find(filter, { sort: Object.fromEntries(sort), limit: 25 });
        seen.push(...rows.map((row) => row._id));
        if (rows.length < 25) return seen;
        last = rows[rows.length - 1];
      }
    };
    const expected = await pages(plain);
    expect(expected.length).toBeGreaterThan(300);
    expect(await pages(indexed)).toEqual(expected);
  });

  it('hands out frozen documents', async () => {
    const [doc] = await indexed.find({ workspace_id: 'w1' }, { limit: 1 });
    expect(Object.isFrozen(doc)).toBe(true);
    expect(() => {
      'use strict';
      (doc as Record<string, unknown>).status = 'x';
    }).toThrow(TypeError);
  });

  it('keeps remembered counts exact across writes', async () => {
    const collection = new MemoryReadCollection('counts');
    await collection.put({ _id: 'a', _position: 1, status: 'open' });
    expect(await collection.count({ status: 'open' })).toBe(1);
    await collection.put({ _id: 'b', _position: 2, status: 'open' });
    expect(await collection.count({ status: 'open' })).toBe(2);
    await collection.updateMany({ _id: 'a' }, { $set: { status: 'closed' } }, 3);
    expect(await collection.count({ status: 'open' })).toBe(1);
    expect(await collection.count({ status: { $regex: 'OPEN', $options: 'i' } })).toBe(1);
    expect(await collection.count({ status: { $regex: 'OPEN' } })).toBe(0);
  });
});
