import { escapeRegex } from '../cursor/keyset-page';
import type { Filter, ProjectedDocument, Sort } from '../read-store.port';
import type { DerivedTokens } from '../search/derived-tokens';
import { SEARCH_TOKENS_FIELD, fieldTexts, queryTokens, searchTokens, searchTokensIndex, substringSearch } from '../search/search-tokens';
import { MemoryReadCollection } from './memory-read-collection';
import { TokenIndex, requiredTokens } from './token-index';

describe('TokenIndex', () => {
  const derived: DerivedTokens = { field: SEARCH_TOKENS_FIELD, from: ['subject', 'description'] };
  const doc = (id: string, subject: unknown, description?: unknown): ProjectedDocument => ({ _id: id, _position: 1, subject, description });
  const idsOf = (index: TokenIndex<ProjectedDocument>, tokens: number[]) =>
    index
      .intersect(tokens)
      .slots()
      .map((slot) => index.idAt(slot));
  const pause = () => new Promise((resolve) => setImmediate(resolve));

  it('intersects posting lists of the derived tokens and follows rewrites', async () => {
    const index = new TokenIndex<ProjectedDocument>(derived);
    const docs = new Map(
      [doc('a', 'alpha bravo'), doc('b', 'Bravo'), doc('c', 'bravo', 'charlie'), doc('d', null, ['alpha', 'delta']), doc('e', '', 7)].map((d) => [d._id, d]),
    );
    // Not built yet: the first call starts the build and answers without the index.
    expect(index.ready(docs)).toBe(false);
    await index.build(docs);
    expect(index.ready(docs)).toBe(true);
    expect(index.slotCount).toBe(5);
    const ids = (...queries: string[]) => idsOf(index, queries.flatMap(queryTokens));
    expect(ids('bravo')).toEqual(['a', 'b', 'c']);
    expect(ids('alp')).toEqual(['a', 'd']);
    expect(ids('alpha bravo')).toEqual(['a']);
    // A list of texts: each is matched alone, so no token spans two of them.
    expect(ids('alphadelta')).toEqual([]);
    expect(ids('bravo', 'rlie')).toEqual(['c']);
    expect(ids('alpha', 'charlie')).toEqual([]);
    expect(ids('zzz')).toEqual([]);

    // The same texts (a projection's spread) touch no list; new ones move the document.
    index.replace(docs.get('b')!, { ...docs.get('b')!, _position: 2 });
    expect(ids('bravo')).toEqual(['a', 'b', 'c']);
    index.replace(docs.get('a')!, doc('a', 'charlie'));
    expect(ids('charlie')).toEqual(['a', 'c']);
    expect(ids('alpha')).toEqual(['d']);
    expect(ids('bravo')).toEqual(['b', 'c']);
    index.replace(docs.get('d')!, doc('d', null));
    expect(ids('alp')).toEqual([]);
    index.add(doc('f', 'delta', 'bravo'));
    expect(ids('bravo')).toEqual(['b', 'c', 'f']);
    expect(ids('delta')).toEqual(['f']);
    expect(index.slotCount).toBe(6);
  });

  it('builds in slices, indexing the writes made between them, and stops on a clear', async () => {
    let seed = 3;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const WORDS = ['printer', 'invoice', 'refund', 'login', 'crash', 'cafe', 'jam', 'paper', 'screen', 'order'];
    const phrase = (n: number) => Array.from({ length: n }, () => WORDS[random(WORDS.length)]).join(' ');
    const docs = new Map<string, ProjectedDocument>();
    const newDoc = (i: number) => doc(`d${i}`, `${phrase(3)} #${i}`, phrase(6));
    for (let i = 0; i < 10000; i++) docs.set(`d${i}`, newDoc(i));
    // As the collection writes: the index hears of a write before the map holds it.
    const write = (index: TokenIndex<ProjectedDocument>, next: ProjectedDocument) => {
      const previous = docs.get(next._id);
      if (previous) index.replace(previous, next);
      else index.add(next);
      docs.set(next._id, next);
    };
    const agrees = (index: TokenIndex<ProjectedDocument>) => {
      const held = [...docs.values()].map((d) => ({ id: d._id, tokens: new Set(searchTokens(...fieldTexts(d, derived.from))) }));
      for (const query of [...WORDS, 'printer jam', 'er c', '#1999', 'paper screen order', 'nothing']) {
        const tokens = queryTokens(query);
        const expected = held
          .filter((d) => tokens.every((token) => d.tokens.has(token)))
          .map((d) => d.id)
          .sort();
        expect({ query, ids: idsOf(index, tokens).sort() }).toEqual({ query, ids: expected });
      }
    };

    const index = new TokenIndex<ProjectedDocument>(derived);
    const built = index.build(docs);
    let slices = 0;
    let next = docs.size;
    while (!index.isBuilt) {
      slices++;
      // New documents, rewritten ones (reached by the build or not yet), unchanged texts.
      for (let i = 0; i < 20; i++) {
        const id = `d${random(next)}`;
        const roll = random(3);
        if (roll === 0) write(index, newDoc(next++));
        else if (roll === 1) write(index, { ...docs.get(id)!, _position: 2, subject: phrase(2) });
        else write(index, { ...docs.get(id)!, _position: 3 });
      }
      expect(index.ready(docs)).toBe(index.isBuilt);
      await pause();
    }
    await built;
    expect(slices).toBeGreaterThan(1);
    expect(index.slotCount).toBe(docs.size);
    agrees(index);

    // A clear ends a build under way; the next build starts over.
    index.clear();
    const stopped = index.build(docs);
    await pause();
    expect(index.isBuilt).toBe(false);
    index.clear();
    await stopped;
    expect(index.isBuilt).toBe(false);
    expect(index.slotCount).toBe(0);
    expect(idsOf(index, queryTokens('printer'))).toEqual([]);
    await index.build(docs);
    expect(index.isBuilt).toBe(true);
    agrees(index);
  }, 30_000);

  it('reads the tokens a filter requires from equalities and $all, also under $and', () => {
    expect(requiredTokens({ tokens: { $all: [1, 2] } }, 'tokens')).toEqual([1, 2]);
    expect(requiredTokens({ w: 1, $and: [{ x: 1 }, { $and: [{ tokens: 5 }] }, { tokens: { $all: [6] } }] }, 'tokens')).toEqual([5, 6]);
    expect(requiredTokens({ $or: [{ tokens: 1 }] }, 'tokens')).toBeNull();
    expect(requiredTokens({ tokens: { $all: [] } }, 'tokens')).toBeNull();
    expect(requiredTokens({ tokens: { $in: [1] } }, 'tokens')).toBeNull();
  });
});

/** The planner's token paths (intersected candidates, or a sorted walk admitting them) against a plain scan. */
describe('MemoryReadCollection search on a built token index agrees with the full scan', () => {
  const FIELDS = ['subject'];
  let seed = 5;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  // 'common' is in most documents, 'alpha' to 'charlie' in many, the numbered words in few:
  // both plans get chosen.
  const MID = ['alpha', 'bravo', 'charlie'];
  const textFor = () =>
    [...(random(10) < 9 ? ['common'] : []), MID[random(3)], `kw${String(random(40)).padStart(2, '0')}`, `rw${String(random(400)).padStart(3, '0')}`].join(' ');
  const stamps = Array.from({ length: 30 }, (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`);
  const docs = Array.from({ length: 3000 }, (_, i) => ({
    _id: `d${String(i).padStart(5, '0')}`,
    _position: i + 1,
    workspace_id: `w${random(2)}`,
    created_at: stamps[random(30)],
    subject: textFor(),
  }));
  const exact = (query: string): Filter => ({ $or: FIELDS.map((field) => ({ [field]: { $regex: escapeRegex(query), $options: 'i' } })) });
  const search = (query: string): Filter => substringSearch(query, FIELDS);
  /** The filter `build` makes, as the plain collection runs it and as the indexed one does. */
  const both = (build: (match: (query: string) => Filter) => Filter): [Filter, Filter] => [build(exact), build(search)];
  let indexed: MemoryReadCollection;
  let plain: MemoryReadCollection;

  beforeAll(async () => {
    indexed = new MemoryReadCollection('indexed');
    plain = new MemoryReadCollection('plain');
    await indexed.ensureIndexes([{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }, searchTokensIndex(FIELDS)]);
    const half = docs.length / 2;
    for (const doc of docs.slice(0, half)) for (const c of [indexed, plain]) await c.put(doc);
    // Later writes maintain the built index.
    await indexed.buildTokenIndexes();
    for (const doc of docs.slice(half)) for (const c of [indexed, plain]) await c.put(doc);
    for (const doc of docs.filter((_, i) => i % 4 === 0)) {
      // Same text (a projection's spread), then a new one.
      const moved = { ...doc, _position: doc._position + 10000, created_at: stamps[random(30)] };
      const retexted = { ...moved, _position: moved._position + 10000, subject: textFor() };
      for (const c of [indexed, plain]) {
        await c.put(moved);
        if (random(2) === 0) await c.put(retexted);
      }
    }
    const [plainFilter, indexedFilter] = both((match) => ({ workspace_id: 'w1', $and: [match('bravo'), match('common')] }));
    await plain.updateMany(plainFilter, { $set: { subject: 'common pushed' } }, 90000);
    await indexed.updateMany(indexedFilter, { $set: { subject: 'common pushed' } }, 90000);
  });

  const cases: Array<[string, [Filter, Filter]]> = [
    ['most documents', both((match) => ({ workspace_id: 'w0', $and: [match('common')] }))],
    ['many, and a range', both((match) => ({ workspace_id: 'w1', $and: [{ created_at: { $gte: stamps[5] } }, match('common'), match('bravo')] }))],
    ['under nested $and', both((match) => ({ workspace_id: 'w0', $and: [{ $and: [match('kw07')] }] }))],
    ['few and most', both((match) => ({ workspace_id: 'w1', $and: [match('kw10'), match('common')] }))],
    ['across workspaces', both((match) => ({ $and: [match('harl'), match('rw1')] }))],
    ['the updated documents', both((match) => match('pushed'))],
    ['an equality on a token', [exact('pushed'), { $and: [exact('pushed'), { [SEARCH_TOKENS_FIELD]: queryTokens('pushed')[1] }] }]],
    ['no document', both((match) => ({ workspace_id: 'w0', $and: [match('nothing like it')] }))],
  ];
  const sorts: Sort[] = [{ created_at: -1, _id: -1 }, { created_at: 1, _id: 1 }, {}];

  it.each(cases.flatMap(([label, filters]) => sorts.map((sort) => [label, JSON.stringify(sort), filters, sort] as const)))(
    '%s, sort %s',
    async (_label, _s, [plainFilter, indexedFilter], sort) => {
      expect(indexed.tokenIndexesBuilt).toBe(true);
      for (const [skip, limit] of [
        [0, 21],
        [40, 5],
        [0, 0],
      ]) {
        const expected = (await plain.find(plainFilter, { sort, skip, limit })).map((d) => d._id);
        const actual = (await indexed.find(indexedFilter, { sort, skip, limit })).map((d) => d._id);
        if (Object.keys(sort).length > 0) expect(actual).toEqual(expected);
        else {
          // Unsorted, any `limit` matches will do.
          const all = new Set((await plain.find(plainFilter)).map((d) => d._id));
          expect(actual).toHaveLength(expected.length);
          expect(actual.every((id) => all.has(id))).toBe(true);
        }
      }
      expect(await indexed.count(indexedFilter)).toBe(await plain.count(plainFilter));
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
