import { escapeRegex } from '../cursor/keyset-page';
import type { Filter, ProjectedDocument, Sort } from '../read-store.port';
import { searchTokensIndex, substringSearch } from '../search/search-tokens';
import { MemoryReadCollection } from './memory-read-collection';
import { TokenIndex, requiredTokens } from './token-index';

describe('TokenIndex', () => {
  const index = new TokenIndex<ProjectedDocument>({ keys: { tokens: 1 }, tokens: true });
  const doc = (id: string, tokens: unknown) => ({ _id: id, _position: 1, tokens });

  it('intersects posting lists, smallest first, and follows rewrites', () => {
    const docs = [doc('a', [1, 2, 3]), doc('b', [2, 3]), doc('c', [3, 4]), doc('d', 2), doc('e', [])];
    expect(index.ready(new Map(docs.map((d) => [d._id, d])))).toBe(true);
    const ids = (tokens: number[]) =>
      index
        .intersect(tokens)
        .slots()
        .map((slot) => index.idAt(slot));
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

/**
 * A derived token index (IndexSpec.tokens { from }) against the exact `$regex` rule on a plain
 * collection: before its background build, while it runs (writes between its slices), after
 * it, and after a clear. Texts mix case pairs, other scripts, an astral character, regex
 * metacharacters and the JavaScript case-folding oddities; queries are random substrings in
 * random case, and short ones (no trigram).
 */
describe('MemoryReadCollection search on derived tokens agrees with the $regex scan', () => {
  const FIELDS = ['subject', 'description'];
  const WORDS = [
    'Printer',
    'invoice',
    'REFUND',
    'Café',
    'ÜBER',
    'жалоба',
    'Ωmega',
    'σας',
    '漢字',
    '🙂ok',
    'a.b*c',
    '(x|y)?',
    '$^[x]',
    'ſtraße',
    'İstanbul',
    'Kelvin',
    'x+y',
  ];
  const FIXED = [
    'print',
    'PRINTER',
    'café',
    'über',
    'ЖАЛ',
    'ΣΑΣ',
    'STRASSE',
    'ſt',
    'ist',
    'kel',
    '🙂o',
    '.*',
    '(x|y)?',
    'a.b',
    '$^[',
    'ab',
    '漢',
    'nothing like this',
  ];
  let seed = 9;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(random() * xs.length)];
  const phrase = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const stamps = Array.from({ length: 20 }, (_, i) => `2026-06-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`);
  const regexOnly = (query: string): Filter => ({ $or: FIELDS.map((field) => ({ [field]: { $regex: escapeRegex(query), $options: 'i' } })) });

  let position = 0;
  const newDoc = (i: number): ProjectedDocument => ({
    _id: `t${String(i).padStart(5, '0')}`,
    _position: ++position,
    workspace_id: `w${i % 3}`,
    created_at: pick(stamps),
    subject: `${phrase(3)} #${i}`,
    ...(i % 17 === 0 ? {} : { description: i % 23 === 0 ? [phrase(3), phrase(4)] : phrase(8 + (i % 30)) }),
  });

  let indexed: MemoryReadCollection;
  let plain: MemoryReadCollection;
  let next = 0;
  const both = async (write: (c: MemoryReadCollection) => Promise<unknown>) => {
    for (const c of [indexed, plain]) await write(c);
  };
  const putNew = () => {
    const doc = newDoc(next++);
    return both((c) => c.put(doc));
  };
  const randomWrite = async () => {
    const roll = random();
    const id = `t${String(Math.floor(random() * next)).padStart(5, '0')}`;
    const stored = await plain.findOne({ _id: id });
    const at = ++position;
    if (roll < 0.3) return putNew();
    let write: (c: MemoryReadCollection) => Promise<unknown>;
    if (roll < 0.5) {
      const doc = { ...stored!, _position: at, subject: phrase(2) };
      write = (c) => c.put(doc);
    } else if (roll < 0.6) {
      const doc = { ...stored!, _position: at, created_at: pick(stamps) };
      write = (c) => c.put(doc);
    } else if (roll < 0.75) {
      const description = phrase(5);
      write = (c) => c.updateMany({ _id: id }, { $set: { description } }, at);
    } else if (roll < 0.85) {
      const [created_at, subject] = [pick(stamps), phrase(2)];
      write = (c) => c.updateMany({ workspace_id: 'w2', created_at }, { $set: { subject, description: null } }, at);
    } else write = (c) => c.updateMany({ _id: id }, { $unset: { subject: '' } }, at);
    await both(write);
  };
  const randomQuery = async () => {
    const docs = await plain.find({ workspace_id: pick(['w0', 'w1', 'w2']) }, { limit: 50 });
    const doc = pick(docs);
    const texts = [doc.subject, doc.description].flat().filter((t): t is string => typeof t === 'string');
    const text = [...(texts.length > 0 ? pick(texts) : 'none')];
    const start = Math.floor(random() * text.length);
    return text
      .slice(start, start + 1 + Math.floor(random() * 9))
      .map((c) => (random() < 0.5 ? c.toUpperCase() : c.toLowerCase()))
      .join('');
  };
  const agree = async (query: string, label: string) => {
    const cases: Array<[Filter, Filter, Sort, number, number]> = [
      [{ workspace_id: 'w1', $and: [substringSearch(query, FIELDS)] }, { workspace_id: 'w1', $and: [regexOnly(query)] }, { created_at: -1, _id: -1 }, 0, 20],
      [{ workspace_id: 'w0', $and: [substringSearch(query, FIELDS)] }, { workspace_id: 'w0', $and: [regexOnly(query)] }, { created_at: 1, _id: 1 }, 7, 5],
      [substringSearch(query, FIELDS), regexOnly(query), { created_at: -1, _id: -1 }, 0, 0],
    ];
    for (const [filter, exact, sort, skip, limit] of cases) {
      const expected = (await plain.find(exact, { sort, skip, limit })).map((d) => d._id);
      const actual = (await indexed.find(filter, { sort, skip, limit })).map((d) => d._id);
      expect({ label, query, filter: exact, actual }).toEqual({ label, query, filter: exact, actual: expected });
      expect({ label, query, filter: exact, count: await indexed.count(filter) }).toEqual({ label, query, filter: exact, count: await plain.count(exact) });
    }
  };
  const pause = () => new Promise((resolve) => setImmediate(resolve));

  beforeAll(async () => {
    indexed = new MemoryReadCollection('indexed');
    plain = new MemoryReadCollection('plain');
    await indexed.ensureIndexes([{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }, searchTokensIndex(FIELDS)]);
    await plain.ensureIndexes([{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }]);
    while (next < 4000) await putNew();
  });

  it('answers exactly before, during and after the build, and after a clear', async () => {
    for (const query of FIXED) await agree(query, 'before the build');
    expect(indexed.tokenIndexesBuilt).toBe(false);
    // The first search started the build: writes and searches go on between its slices.
    let slices = 0;
    while (!indexed.tokenIndexesBuilt) {
      slices++;
      for (let i = 0; i < 5; i++) await randomWrite();
      await agree(await randomQuery(), `during the build (slice ${slices})`);
      await pause();
    }
    expect(slices).toBeGreaterThan(1);
    for (let round = 0; round < 150; round++) {
      await randomWrite();
      await agree(round < FIXED.length ? FIXED[round] : await randomQuery(), `built (round ${round})`);
    }
    await both((c) => c.clear());
    for (next = 0; next < 500;) await putNew();
    await agree('print', 'after a clear');
    await indexed.buildTokenIndexes();
    for (let round = 0; round < 40; round++) {
      await randomWrite();
      await agree(await randomQuery(), `rebuilt (round ${round})`);
    }
  }, 60_000);

  it('refuses filters on the derived field that the index could not honour', async () => {
    for (const filter of [
      { $or: [{ search_tokens: { $all: [1] } }, { subject: 'x' }] },
      { search_tokens: { $size: 2 } },
      { search_tokens: { $all: [] } },
      { 'search_tokens.0': 1 },
      { $and: [{ $nor: [{ search_tokens: 1 }] }] },
    ]) {
      await expect(indexed.find(filter)).rejects.toThrow(TypeError);
    }
  });
});
