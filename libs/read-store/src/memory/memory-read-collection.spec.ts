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

/** The direct matcher and updater must agree with mingo, which they stand in for. */
describe('fast filter and update paths agree with mingo', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Query, update: mingoUpdate } = require('mingo') as typeof import('mingo');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileFilter } = require('./fast-filter') as typeof import('./fast-filter');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { applySimpleUpdate } = require('./fast-update') as typeof import('./fast-update');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { frozenClone, thawedClone } = require('./frozen-clone') as typeof import('./frozen-clone');

  let seed = 11;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <V>(values: V[]): V => values[random(values.length)];
  const scalars: unknown[] = ['a', 'b', 'B', 'ab', '', 0, 1, 2, 1.5, -1, true, false, null];
  const fields = ['s', 'n', 'b', 'tags', 'o.x', 'o.y', 'list.x', 'missing', 'o'];
  const randomValue = (): unknown => {
    switch (random(7)) {
      case 0:
        return undefined;
      case 1:
        return [pick(scalars), pick(scalars)].slice(0, random(3));
      case 2:
        return { x: pick(scalars) };
      default:
        return pick(scalars);
    }
  };
  const randomDoc = (i: number): Record<string, unknown> => {
    const doc: Record<string, unknown> = { _id: `d${i}`, _position: i };
    for (const field of ['s', 'n', 'b', 'tags', 'missing']) {
      const v = randomValue();
      if (v !== undefined) doc[field] = v;
    }
    const o = random(4);
    if (o === 1) doc.o = { x: pick(scalars), y: randomValue() };
    else if (o === 2) doc.o = null;
    else if (o === 3) doc.o = [{ x: pick(scalars) }];
    if (random(3) === 0) doc.list = [{ x: pick(scalars) }, { x: pick(scalars) }];
    return frozenClone(doc);
  };
  const randomCondition = (): unknown => {
    switch (random(14)) {
      case 0:
        return { $ne: pick(scalars) };
      case 1:
        return { $in: [pick(scalars), pick(scalars)] };
      case 2:
        return { $nin: [pick(scalars), pick(scalars)] };
      case 3:
        return { $exists: random(2) === 0 };
      case 4:
        return { [pick(['$gt', '$gte', '$lt', '$lte'])]: pick(['a', 'ab', 0, 1, 1.5]) };
      case 5:
        return { $gte: pick(['a', 1]), $lt: pick(['b', 2]) };
      case 6:
        return { $regex: pick(['^a', 'B', 'a.']), ...(random(2) ? { $options: 'i' } : {}) };
      case 7:
        return { $eq: pick(scalars) };
      case 8:
        return /b$/i;
      case 9:
        return { $in: [/^a/, 'b'] };
      case 10:
        return { $all: [pick(scalars), pick(scalars)].slice(0, 1 + random(2)) };
      default:
        return pick(scalars);
    }
  };
  const randomFilter = (depth = 0): Record<string, unknown> => {
    const filter: Record<string, unknown> = {};
    const n = 1 + random(3);
    for (let i = 0; i < n; i++) {
      const r = random(10);
      if (depth < 2 && r === 0) filter.$or = [randomFilter(depth + 1), randomFilter(depth + 1)];
      else if (depth < 2 && r === 1) filter.$and = [randomFilter(depth + 1), randomFilter(depth + 1)];
      else if (depth < 2 && r === 2) filter.$nor = [randomFilter(depth + 1)];
      else filter[pick(fields)] = randomCondition();
    }
    return filter;
  };

  const docs = Array.from({ length: 200 }, (_, i) => randomDoc(i));

  it('matches exactly what mingo matches on 2,000 random filters', () => {
    for (let f = 0; f < 2000; f++) {
      const filter = randomFilter();
      const query = new Query(filter);
      const test = compileFilter(filter);
      for (const doc of docs) {
        const expected = query.test(doc);
        if (test(doc) !== expected) throw new Error(`${JSON.stringify(filter)} on ${JSON.stringify(doc)}: expected ${expected}`);
      }
    }
  });

  it('updates exactly as mingo does on random updates', () => {
    const paths = ['s', 'n', 'tags', 'o.x', 'o.z', 'p.q', 'new', 'b'];
    let direct = 0;
    for (let u = 0; u < 3000; u++) {
      const update: Record<string, Record<string, unknown>> = {};
      for (let i = 0; i < 1 + random(3); i++) {
        const op = pick(['$set', '$unset', '$inc', '$push', '$pull', '$addToSet']);
        const value = op === '$inc' ? pick([1, -2, 0.5]) : op === '$set' ? randomValue() : op === '$unset' ? '' : pick(scalars);
        (update[op] ??= {})[pick(paths)] = value;
      }
      const doc = pick(docs);
      let expected: unknown;
      try {
        const copy = thawedClone(doc);
        mingoUpdate(copy, update);
        expected = frozenClone(copy);
      } catch {
        expected = 'error';
      }
      const actual = applySimpleUpdate(doc, update);
      if (actual === undefined) continue;
      direct++;
      expect({ update, result: actual }).toEqual({ update, result: expected });
      expect(Object.isFrozen(doc)).toBe(true);
    }
    expect(direct).toBeGreaterThan(500);
  });
});

describe('stored documents stay compact in V8 (see frozen-clone.ts)', () => {
  // V8's own answers, through intrinsics enabled for the functions compiled below.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--allow-natives-syntax');
  const fast = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
  const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
  // A fresh instance of the module: V8's inline caches in it have seen nothing yet, as in a new process.
  let frozenClone!: typeof import('./frozen-clone').frozenClone;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ({ frozenClone } = require('./frozen-clone') as typeof import('./frozen-clone'));
  });

  // Ticket-sized documents as projections build them from events: parsed JSON, field types
  // varying from one to the next (null or a string). Key names are new to the process, so no
  // earlier test has settled V8's hidden classes for them.
  const documents = (n: number): ProjectedDocument[] => {
    const k = `k${Math.random().toString(36).slice(2, 8)}_`;
    const fields = (i: number) => ({
      _id: `d${i}`,
      _position: 1,
      [`${k}a`]: i % 3 ? null : 'a',
      [`${k}b`]: i % 2 ? null : 'b',
      [`${k}n`]: i,
      [`${k}nested`]: { id: 'c', name: i % 2 ? null : 'n' },
      [`${k}tags`]: i % 4 ? [] : ['vip'],
      [`${k}c`]: 'c',
      [`${k}d`]: 'd',
      [`${k}e`]: 'e',
      [`${k}f`]: 'f',
      [`${k}g`]: 'g',
      [`${k}h`]: 'h',
      [`${k}i`]: 'i',
      [`${k}j`]: 'j',
      [`${k}k`]: 1,
      [`${k}l`]: false,
      [`${k}m`]: null,
      [`${k}o`]: 'o',
      [`${k}p`]: 'p',
      [`${k}q`]: 'q',
    });
    return Array.from({ length: n }, (_, i) => JSON.parse(JSON.stringify(fields(i))) as ProjectedDocument);
  };
  const expectCompact = (docs: object[]) => {
    expect(docs.every((doc) => Object.isFrozen(doc) && fast(doc))).toBe(true);
    expect(docs.filter((doc, i) => i > 0 && !sameMap(doc, docs[i - 1]))).toEqual([]);
  };

  it('keeps copied, put and updated documents in fast mode, one hidden class per shape', async () => {
    expectCompact(documents(2000).map((doc) => frozenClone(doc)));

    const collection = new MemoryReadCollection('compact');
    for (const doc of documents(2000)) await collection.put(doc);
    expectCompact(await collection.find({}));

    await collection.updateMany({ _id: { $in: ['d1', 'd2', 'd3', 'd4'] } }, { $set: { _k: 'y' }, $inc: { _n: 1 } }, 2);
    expectCompact(await collection.find({ _position: 2 }));
  });
});
