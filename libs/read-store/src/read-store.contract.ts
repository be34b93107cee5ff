import { randomUUID } from 'node:crypto';
import type { ProjectedDocument, ReadCollection, ReadStore, Update } from './read-store.port';
import { DuplicateKeyError } from './read-store.errors';
import { KeysetSort, keysetFilter } from './cursor/keyset-cursor';
import { escapeRegex } from './cursor/keyset-page';
import { SEARCH_TOKENS_FIELD, searchTokensIndex, substringSearch } from './search/search-tokens';

/**
 * The one behaviour every read store adapter must show. Each test uses its own collection
 * names, so the suite can run against a shared MongoDB without cleaning up first.
 */
export function describeReadStoreContract(adapterName: string, factory: () => Promise<{ store: ReadStore; cleanup: () => Promise<void> }>): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let store: ReadStore;
    let cleanup: () => Promise<void>;
    let used: string[];

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
      used = [];
    });

    afterEach(async () => {
      for (const name of used) await store.dropCollection(name);
      await cleanup();
    });

    const fresh = <T extends ProjectedDocument = Ticket>(label = 'c'): ReadCollection<T> => {
      const name = `contract_${label}_${randomUUID().replace(/-/g, '')}`;
      used.push(name);
      return store.collection<T>(name);
    };

    interface Ticket extends ProjectedDocument {
      workspace_id: string;
      subject?: string;
      status?: string;
      priority?: number;
      tags?: string[];
      created_at?: string;
      assignee_id?: string | null;
      [key: string]: unknown;
    }

    const ticket = (id: string, fields: Partial<Ticket> = {}): Ticket => ({ _id: id, _position: 1, workspace_id: 'w1', ...fields });
    const ids = (docs: ProjectedDocument[]) => docs.map((doc) => doc._id);

    describe('documents', () => {
      it('puts, finds, finds one and counts', async () => {
        const tickets = fresh();
        expect(await tickets.put(ticket('a', { status: 'open' }))).toBe(true);
        expect(await tickets.put(ticket('b', { status: 'closed' }))).toBe(true);
        expect(await tickets.put(ticket('c', { status: 'open', workspace_id: 'w2' }))).toBe(true);

        expect(await tickets.findOne({ _id: 'b' })).toEqual(ticket('b', { status: 'closed' }));
        expect(await tickets.findOne({ _id: 'missing' })).toBeNull();
        expect(ids(await tickets.find({ status: 'open' }, { sort: { _id: 1 } }))).toEqual(['a', 'c']);
        expect(await tickets.count({ workspace_id: 'w1' })).toBe(2);
        expect(await tickets.count({})).toBe(3);
      });

      it('replaces the whole document on a later position', async () => {
        const tickets = fresh();
        await tickets.put(ticket('a', { status: 'open', assignee_id: 'u1' }));
        expect(await tickets.put(ticket('a', { _position: 2, status: 'pending' }))).toBe(true);
        expect(await tickets.findOne({ _id: 'a' })).toEqual(ticket('a', { _position: 2, status: 'pending' }));
      });

      it('ignores a put whose position is older than or equal to the stored one', async () => {
        const tickets = fresh();
        await tickets.put(ticket('a', { _position: 5, status: 'open' }));
        expect(await tickets.put(ticket('a', { _position: 5, status: 'replayed' }))).toBe(false);
        expect(await tickets.put(ticket('a', { _position: 3, status: 'older' }))).toBe(false);
        expect(await tickets.findOne({ _id: 'a' })).toEqual(ticket('a', { _position: 5, status: 'open' }));
      });

      it('cannot be corrupted by changing what was put', async () => {
        const tickets = fresh();
        const tags = ['x'];
        const doc = ticket('a', { tags });
        await tickets.put(doc);
        // Values nested in a put document stay the caller's.
        tags.push('mutated');
        // The document itself is handed over: an adapter may keep it frozen (then this throws).
        try {
          doc.status = 'mutated';
        } catch {
          // frozen: fine
        }
        expect(await tickets.findOne({ _id: 'a' })).toEqual(ticket('a', { tags: ['x'] }));
        expect(await tickets.count({ status: 'mutated' })).toBe(0);
      });

      it('cannot be corrupted by mutating returned documents', async () => {
        const tickets = fresh();
        await tickets.put(ticket('a', { tags: ['x'], custom_fields: { plan: 'gold' } }));
        const [found] = await tickets.find({ _id: 'a' });
        const one = (await tickets.findOne({ _id: 'a' }))!;
        // An adapter may hand out frozen documents (then these throw) or copies (then they succeed).
        const attempts = [
          () => (found.status = 'mutated'),
          () => found.tags!.push('y'),
          () => ((one.custom_fields as Record<string, string>).plan = 'free'),
          () => delete (one as Partial<Ticket>).workspace_id,
        ];
        for (const attempt of attempts) {
          try {
            attempt();
          } catch {
            // frozen: fine
          }
        }
        expect(await tickets.findOne({ _id: 'a' })).toEqual(ticket('a', { tags: ['x'], custom_fields: { plan: 'gold' } }));
        expect(await tickets.count({ status: 'mutated' })).toBe(0);
      });

      it('clears a collection', async () => {
        const tickets = fresh();
        await tickets.put(ticket('a'));
        await tickets.clear();
        expect(await tickets.count({})).toBe(0);
        expect(await tickets.put(ticket('a'))).toBe(true);
      });

      it('keeps collections apart', async () => {
        const one = fresh('one');
        const two = fresh('two');
        await one.put(ticket('a'));
        expect(await two.findOne({ _id: 'a' })).toBeNull();
        expect(await two.count({})).toBe(0);
      });
    });

    describe('updateMany', () => {
      it('applies update operators once and sets the position', async () => {
        const tickets = fresh();
        await tickets.put(ticket('a', { status: 'open', priority: 1, tags: ['x', 'y'], labels: ['p'], history: [], old: true }));
        await tickets.put(ticket('b', { status: 'closed', priority: 1 }));
        const update = {
          $set: { status: 'pending', 'custom_fields.plan': 'gold' },
          $unset: { old: '' },
          $inc: { priority: 2 },
          $push: { history: 'h1' },
          $pull: { tags: 'x' },
          $addToSet: { labels: 'p' },
        };
        expect(await tickets.updateMany({ status: 'open' }, update, 7)).toBe(1);
        const expected = ticket('a', {
          _position: 7,
          status: 'pending',
          priority: 3,
          tags: ['y'],
          labels: ['p'],
          history: ['h1'],
          custom_fields: { plan: 'gold' },
        });
        expect(await tickets.findOne({ _id: 'a' })).toEqual(expected);

        // Replaying the same event (same position) changes nothing, even though $inc and $push are not idempotent.
        expect(await tickets.updateMany({ _id: 'a' }, update, 7)).toBe(0);
        expect(await tickets.findOne({ _id: 'a' })).toEqual(expected);
        expect(await tickets.findOne({ _id: 'b' })).toEqual(ticket('b', { status: 'closed', priority: 1 }));
      });

      it('adds to a set only what is missing', async () => {
        const tickets = fresh();
        await tickets.put(ticket('a', { tags: ['x'] }));
        await tickets.updateMany({ _id: 'a' }, { $addToSet: { tags: 'x' } }, 2);
        await tickets.updateMany({ _id: 'a' }, { $addToSet: { tags: 'z' } }, 3);
        expect((await tickets.findOne({ _id: 'a' }))!.tags).toEqual(['x', 'z']);
      });

      it('skips documents already at or past the position', async () => {
        const tickets = fresh();
        await tickets.put(ticket('old', { _position: 3, n: 0 }));
        await tickets.put(ticket('same', { _position: 5, n: 0 }));
        await tickets.put(ticket('newer', { _position: 9, n: 0 }));
        expect(await tickets.updateMany({ workspace_id: 'w1' }, { $inc: { n: 1 } }, 5)).toBe(1);
        const docs = await tickets.find({}, { sort: { _id: 1 } });
        expect(docs.map((doc) => [doc._id, doc._position, doc.n])).toEqual([
          ['newer', 9, 0],
          ['old', 5, 1],
          ['same', 5, 0],
        ]);
      });

      it('lets a later put replace an updated document and ignores an older one', async () => {
        const tickets = fresh();
        await tickets.put(ticket('a', { status: 'open' }));
        await tickets.updateMany({ _id: 'a' }, { $set: { status: 'pending' } }, 4);
        expect(await tickets.put(ticket('a', { _position: 4, status: 'stale' }))).toBe(false);
        expect(await tickets.put(ticket('a', { _position: 6, status: 'solved' }))).toBe(true);
        expect((await tickets.findOne({ _id: 'a' }))!.status).toBe('solved');
      });
    });

    describe('filters', () => {
      let tickets: ReadCollection<Ticket>;

      beforeEach(async () => {
        tickets = fresh();
        await tickets.ensureIndexes([{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }]);
        const rows: Array<[string, Partial<Ticket>]> = [
          [
            't1',
            { status: 'open', priority: 1, tags: ['billing', 'vip'], created_at: '2026-01-01T10:00:00.000Z', subject: 'Refund please', assignee_id: 'u1' },
          ],
          ['t2', { status: 'pending', priority: 2, tags: ['bug'], created_at: '2026-01-02T10:00:00.000Z', subject: 'App CRASHES on login', assignee_id: null }],
          ['t3', { status: 'closed', priority: 3, tags: [], created_at: '2026-01-03T10:00:00.000Z', subject: 'Thanks!', merged_into_id: 't1' }],
          ['t4', { status: 'open', priority: 4, created_at: '2026-01-04T10:00:00.000Z', subject: 'Invoice question', description: 'where is my refund' }],
          ['t5', { status: 'open', priority: 2, tags: ['vip'], created_at: '2026-01-05T10:00:00.000Z', subject: 'other workspace', workspace_id: 'w2' }],
        ];
        for (const [id, fields] of rows) await tickets.put(ticket(id, fields));
      });

      const cases: Array<[string, Record<string, unknown>, string[]]> = [
        ['equality', { workspace_id: 'w1', status: 'open' }, ['t1', 't4']],
        ['$eq', { status: { $eq: 'pending' } }, ['t2']],
        ['$in', { workspace_id: 'w1', status: { $in: ['pending', 'closed'] } }, ['t2', 't3']],
        ['$ne', { workspace_id: 'w1', status: { $ne: 'open' } }, ['t2', 't3']],
        ['$exists: false', { workspace_id: 'w1', merged_into_id: { $exists: false } }, ['t1', 't2', 't4']],
        ['$exists: true', { merged_into_id: { $exists: true } }, ['t3']],
        ['null matches null and missing', { workspace_id: 'w1', assignee_id: null }, ['t2', 't3', 't4']],
        ['$lt on ISO dates', { created_at: { $lt: '2026-01-03T10:00:00.000Z' } }, ['t1', 't2']],
        ['$lte on ISO dates', { created_at: { $lte: '2026-01-03T10:00:00.000Z' } }, ['t1', 't2', 't3']],
        ['$gt and $lte range', { created_at: { $gt: '2026-01-02T10:00:00.000Z', $lte: '2026-01-04T10:00:00.000Z' } }, ['t3', 't4']],
        ['$gte on numbers', { priority: { $gte: 3 } }, ['t3', 't4']],
        ['$lt on numbers', { priority: { $lt: 2 } }, ['t1']],
        ['array membership by equality', { tags: 'vip' }, ['t1', 't5']],
        ['array membership by $in', { workspace_id: 'w1', tags: { $in: ['bug', 'vip'] } }, ['t1', 't2']],
        ['$or', { $or: [{ status: 'closed' }, { priority: 4 }] }, ['t3', 't4']],
        ['$and', { $and: [{ status: 'open' }, { priority: { $gt: 1 } }] }, ['t4', 't5']],
        ['case-insensitive $regex substring', { subject: { $regex: 'crash', $options: 'i' } }, ['t2']],
        [
          'search in subject or description',
          { workspace_id: 'w1', $or: [{ subject: { $regex: 'REFUND', $options: 'i' } }, { description: { $regex: 'REFUND', $options: 'i' } }] },
          ['t1', 't4'],
        ],
        ['$regex is case-sensitive without the option', { subject: { $regex: 'crash' } }, []],
      ];

      it.each(cases)('%s', async (_label, filter, expected) => {
        expect(ids(await tickets.find(filter, { sort: { _id: 1 } }))).toEqual(expected);
        expect(await tickets.count(filter)).toBe(expected.length);
      });
    });

    describe('multikey $all', () => {
      // The operator substringSearch narrows by (derived search tokens are covered below).
      it('matches the documents holding every value', async () => {
        const docs = fresh();
        const at = (day: number) => `2026-04-0${day}T00:00:00.000Z`;
        await docs.put(ticket('a', { tokens: [1, 2, 3], created_at: at(1) }));
        await docs.put(ticket('b', { tokens: [3, 4], created_at: at(2) }));
        await docs.put(ticket('c', { tokens: [2, 3, 5], created_at: at(3), workspace_id: 'w2' }));
        await docs.put(ticket('d', { tokens: [], created_at: at(4) }));
        await docs.put(ticket('e', { created_at: at(5) }));
        await docs.put(ticket('f', { tokens: [3, 2], created_at: at(6) }));
        const find = async (filter: Record<string, unknown>) => ids(await docs.find(filter, { sort: { created_at: -1, _id: -1 } }));

        expect(await find({ tokens: { $all: [3] } })).toEqual(['f', 'c', 'b', 'a']);
        expect(await find({ tokens: { $all: [2, 3] } })).toEqual(['f', 'c', 'a']);
        expect(await find({ workspace_id: 'w1', $and: [{ created_at: { $lt: at(6) } }, { tokens: { $all: [3, 2] } }] })).toEqual(['a']);
        expect(await find({ tokens: { $all: [1, 4] } })).toEqual([]);
        expect(await find({ tokens: { $all: [9] } })).toEqual([]);
        expect(ids(await docs.find({ workspace_id: 'w1', tokens: { $all: [3] } }, { sort: { created_at: -1, _id: -1 }, limit: 2 }))).toEqual(['f', 'b']);
        expect(await docs.count({ workspace_id: 'w1', tokens: { $all: [2, 3] } })).toBe(2);

        // A rewrite moves a document between values; an update operator too.
        await docs.put(ticket('a', { _position: 2, tokens: [4], created_at: at(1) }));
        await docs.updateMany({ _id: 'd' }, { $set: { tokens: [2, 3] } }, 3);
        expect(await find({ tokens: { $all: [4] } })).toEqual(['b', 'a']);
        expect(await find({ tokens: { $all: [2, 3] } })).toEqual(['f', 'd', 'c']);
        expect(await docs.count({ workspace_id: 'w1', tokens: { $all: [2, 3] } })).toBe(2);
      });
    });

    describe('derived search tokens', () => {
      // IndexSpec.tokens { from }: the store derives the tokens from the texts, and the filter
      // substringSearch writes answers exactly the substring rule, whatever path the store takes
      // (in memory: a scan until its background build is done, then the posting lists; MongoDB:
      // the multikey index on the field it writes).
      const FIELDS = ['subject', 'description'];
      const INDEXES = [{ keys: { workspace_id: 1, created_at: -1, _id: -1 } as const }, searchTokensIndex(FIELDS)];
      // Case pairs and regex metacharacters; texts short and long, a list of texts, none. ASCII:
      // beyond it, a case-insensitive match is the regex engine's (JavaScript's, MongoDB's PCRE),
      // and the memory store's specs cover other scripts.
      const WORDS = [
        'Printer',
        'printer',
        'PRINTING',
        'Refund',
        'invoice',
        'Cafe',
        'CAFE',
        'uber',
        'a.b*c',
        '(x|y)?',
        '$^[x]',
        'back\\slash',
        'x+y',
        'Login',
        'loGOUT',
        'ab',
      ];
      const FIXED = ['print', 'PRINTER', 'rint', 'cafe', 'UBER', '.*', '(x|y)?', '$^[', 'a.b', '\\s', 'ab', 'x', 'refund invoice', 'nothing like this', 'in'];
      const texts = (value: unknown): string[] =>
        typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
      const holds = (doc: ProjectedDocument, query: string) => {
        const pattern = new RegExp(escapeRegex(query), 'i');
        return FIELDS.some((field) => texts(doc[field]).some((text) => pattern.test(text)));
      };
      /** Gives a store's background work (the in-memory build) time to run between checks. */
      const yieldToStore = () => new Promise((resolve) => setTimeout(resolve, 25));

      it('answers exactly the substring rule, across puts and updates, before and after the tokens are built', async () => {
        const random = prng(11);
        const pick = <X>(xs: readonly X[]): X => xs[Math.floor(random() * xs.length)];
        const phrase = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
        const stamps = Array.from({ length: 9 }, (_, i) => `2026-05-0${i + 1}T00:00:00.000Z`);
        const model = new Map<string, Ticket>();
        const docs = fresh();
        const put = async (doc: Ticket) => {
          expect(await docs.put(doc)).toBe(true);
          model.set(doc._id, doc);
        };
        const update = async (
          filter: Record<string, unknown>,
          change: Record<string, Record<string, unknown>>,
          position: number,
          match: (doc: Ticket) => boolean,
        ) => {
          const targets = [...model.values()].filter((doc) => doc._position < position && match(doc));
          expect(await docs.updateMany(filter, change, position)).toBe(targets.length);
          for (const doc of targets) {
            const next: Ticket = { ...doc, ...(change.$set ?? {}), _position: position };
            for (const field of Object.keys(change.$unset ?? {})) delete next[field];
            model.set(doc._id, next);
          }
        };
        const newDoc = (i: number, position = 1): Ticket => {
          const description = i % 7 === 0 ? null : i % 11 === 0 ? [phrase(2), phrase(3)] : phrase(2 + (i % 9));
          return ticket(`d${String(i).padStart(3, '0')}`, {
            _position: position,
            workspace_id: i % 5 === 0 ? 'w2' : 'w1',
            status: pick(['open', 'closed']),
            created_at: pick(stamps),
            subject: `${phrase(2)} #${i}`,
            ...(i % 13 === 0 ? {} : { description }),
          });
        };
        const check = async (stage: string) => {
          const rows = [...model.values()];
          const substring = () => {
            const text = [...pick(texts(pick(rows).subject))];
            const start = Math.floor(random() * text.length);
            return text
              .slice(start, start + 1 + Math.floor(random() * 7))
              .map((c) => (random() < 0.5 ? c.toUpperCase() : c.toLowerCase()))
              .join('');
          };
          for (const query of [...FIXED, ...Array.from({ length: 12 }, substring)]) {
            const filter = { workspace_id: 'w1', $and: [{ status: { $ne: 'gone' } }, substringSearch(query, FIELDS)] };
            const expected = rows
              .filter((doc) => doc.workspace_id === 'w1' && holds(doc, query))
              .sort((a, b) => (a.created_at! < b.created_at! ? 1 : a.created_at! > b.created_at! ? -1 : a._id < b._id ? 1 : -1))
              .map((doc) => doc._id);
            const sort = { created_at: -1, _id: -1 } as const;
            const label = `${stage}: ${JSON.stringify(query)}`;
            expect({ label, ids: ids(await docs.find(filter, { sort })) }).toEqual({ label, ids: expected });
            expect({ label, page: ids(await docs.find(filter, { sort, skip: 2, limit: 3 })) }).toEqual({ label, page: expected.slice(2, 5) });
            expect({ label, count: await docs.count(filter) }).toEqual({ label, count: expected.length });
            const across = rows.filter((doc) => holds(doc, query)).length;
            expect({ label, across: await docs.count(substringSearch(query, FIELDS)) }).toEqual({ label, across });
          }
        };

        // Some documents are stored before the index is declared.
        for (let i = 0; i < 25; i++) await put(newDoc(i));
        await docs.ensureIndexes(INDEXES);
        for (let i = 25; i < 80; i++) await put(newDoc(i));
        await check('first queries');
        await yieldToStore();
        await check('after a pause');

        // Rewrites: new texts, the same texts, no texts.
        for (let i = 0; i < 80; i += 4) await put({ ...newDoc(i, 2), subject: `${phrase(3)} #${i} rewritten` });
        for (let i = 2; i < 80; i += 8) await put({ ...model.get(`d${String(i).padStart(3, '0')}`)!, _position: 2, status: 'open' });
        await put({ ...newDoc(3, 3), subject: '' });
        // Updates that set one source (each document keeps its other text), both, or unset one.
        await update({ _id: 'd001' }, { $set: { subject: 'printer on fire' } }, 4, (doc) => doc._id === 'd001');
        await update({ status: 'closed' }, { $set: { description: 'Cafe closed ab' } }, 5, (doc) => doc.status === 'closed');
        await update({ workspace_id: 'w2' }, { $set: { subject: 'Moved PRINTER', description: ['x+y', 'uber'] } }, 6, (doc) => doc.workspace_id === 'w2');
        await update({ _id: { $in: ['d002', 'd006'] } }, { $unset: { description: '' } }, 7, (doc) => doc._id === 'd002' || doc._id === 'd006');
        await update({ _id: 'd009' }, { $set: { status: 'open' } }, 8, (doc) => doc._id === 'd009');
        await check('after writes');
        await yieldToStore();
        for (let i = 80; i < 90; i++) await put(newDoc(i));
        await update({ _id: 'd010' }, { $set: { subject: 'late refund' } }, 9, (doc) => doc._id === 'd010');
        await check('after more writes');
      });

      it("keeps the field to itself: a put document's own value is ignored and reads leave it out", async () => {
        const docs = fresh();
        await docs.ensureIndexes(INDEXES);
        const doc = ticket('a', { subject: 'Printer jam', description: 'paper' });
        await docs.put({ ...doc, [SEARCH_TOKENS_FIELD]: [1, 2, 3] });
        await docs.put(ticket('b', { subject: 'Refund' }));
        for (let round = 0; round < 2; round++) {
          expect(await docs.findOne({ _id: 'a' })).toEqual(doc);
          expect(await docs.find({ workspace_id: 'w1' }, { sort: { _id: 1 } })).toEqual([doc, ticket('b', { subject: 'Refund' })]);
          expect(ids(await docs.find(substringSearch('JAM', FIELDS)))).toEqual(['a']);
          expect(ids(await docs.find(substringSearch('aper', FIELDS)))).toEqual(['a']);
          expect(await docs.count(substringSearch('refund', FIELDS))).toBe(1);
          await yieldToStore();
        }
      });

      it('refuses an update that changes a source text other than whole, or writes the field', async () => {
        const docs = fresh();
        await docs.ensureIndexes(INDEXES);
        await docs.put(ticket('a', { subject: 'Printer', description: 'x' }));
        const changes: Update[] = [{ $push: { subject: 'x' } }, { $set: { 'description.x': 1 } }, { $set: { [SEARCH_TOKENS_FIELD]: [] } }];
        for (const change of changes) {
          await expect(docs.updateMany({ _id: 'a' }, change, 2)).rejects.toThrow(TypeError);
        }
        expect(await docs.findOne({ _id: 'a' })).toEqual(ticket('a', { subject: 'Printer', description: 'x' }));
      });
    });

    describe('sort, skip and limit', () => {
      // Same data with and without a matching index: an adapter may take another path for each.
      it.each([
        ['without an index', [] as const],
        ['with a matching index', [{ keys: { workspace_id: 1, status: 1, priority: -1, _id: 1 } }] as const],
      ])('sorts by several keys with _id as tie-breaker (%s)', async (_label, indexes) => {
        const tickets = fresh();
        await tickets.ensureIndexes([...indexes]);
        const rows: Array<[string, string, number]> = [
          ['e', 'open', 1],
          ['a', 'open', 2],
          ['d', 'closed', 2],
          ['c', 'open', 2],
          ['b', 'closed', 5],
          ['f', 'open', 1],
        ];
        for (const [id, status, priority] of rows) await tickets.put(ticket(id, { status, priority }));
        await tickets.put(ticket('z', { status: 'open', priority: 9, workspace_id: 'w2' }));

        const sort = { status: 1, priority: -1, _id: 1 } as const;
        const all = ids(await tickets.find({ workspace_id: 'w1' }, { sort }));
        expect(all).toEqual(['b', 'd', 'a', 'c', 'e', 'f']);
        expect(ids(await tickets.find({ workspace_id: 'w1' }, { sort, skip: 2, limit: 3 }))).toEqual(['a', 'c', 'e']);
        expect(ids(await tickets.find({ workspace_id: 'w1' }, { sort: { status: -1, priority: 1, _id: -1 }, limit: 3 }))).toEqual(['f', 'e', 'c']);
        expect(ids(await tickets.find({ workspace_id: 'w1', status: 'open' }, { sort: { priority: -1, _id: -1 }, limit: 2 }))).toEqual(['c', 'a']);
        expect(await tickets.find({ workspace_id: 'w1' }, { sort, skip: 10 })).toEqual([]);
      });

      it.each([
        ['descending with an index', { workspace_id: 1, created_at: -1, _id: -1 }, -1],
        ['ascending, walking the index backwards', { workspace_id: 1, created_at: -1, _id: -1 }, 1],
        ['descending without an index', null, -1],
      ] as const)('paginates 250 rows sharing few timestamps by keyset, each exactly once (%s)', async (_label, indexKeys, direction) => {
        const tickets = fresh();
        if (indexKeys) await tickets.ensureIndexes([{ keys: { ...indexKeys } }]);
        const stamps = ['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'];
        const expected: string[] = [];
        for (let i = 0; i < 250; i++) {
          const id = `t${String((i * 7919) % 1000).padStart(4, '0')}`;
          const status = i % 5 === 0 ? 'closed' : 'open';
          await tickets.put(ticket(id, { created_at: stamps[i % stamps.length], status }));
          if (status === 'open') expected.push(id);
        }
        await tickets.put(ticket('other', { workspace_id: 'w2', created_at: stamps[0], status: 'open' }));

        const sort: KeysetSort = [
          ['created_at', direction],
          ['_id', direction],
        ];
        const base = { workspace_id: 'w1', status: 'open' };
        const seen: string[] = [];
        let last: ProjectedDocument | undefined;
        for (let page = 0; page < 50; page++) {
          const filter = last ? { ...base, ...keysetFilter(sort, [last.created_at, last._id]) } : base;
          const rows = await tickets.find(filter, { sort: Object.fromEntries(sort), limit: 17 });
          seen.push(...ids(rows));
          if (rows.length < 17) break;
          last = rows[rows.length - 1];
        }
        expect(new Set(seen).size).toBe(seen.length);
        expect([...seen].sort()).toEqual([...expected].sort());
        const ordered = await tickets.find(base, { sort: Object.fromEntries(sort) });
        expect(seen).toEqual(ids(ordered));
        expect(await tickets.count(base)).toBe(expected.length);
      });

      it.each([1, -1] as const)(
        'paginates by keyset over a field that is null or missing on some rows, each exactly once (direction %s)',
        async (direction) => {
          const people = fresh();
          const emails: Array<string | null | undefined> = ['c@x', null, 'a@x', undefined, 'b@x', null, 'a@x', undefined, 'd@x'];
          for (const [i, email] of emails.entries()) {
            await people.put({ _id: `p${i}`, _position: 1, workspace_id: 'w1', ...(email !== undefined && { email }) });
          }
          const sort: KeysetSort = [
            ['email', direction, true],
            ['_id', direction],
          ];
          const base = { workspace_id: 'w1' };
          const ordered = ids(await people.find(base, { sort: { email: direction, _id: direction } }));
          for (const pageSize of [1, 2, 4]) {
            const seen: string[] = [];
            let last: ProjectedDocument | undefined;
            for (let page = 0; page < 20; page++) {
              const filter = last ? { ...base, ...keysetFilter(sort, [last.email ?? null, last._id]) } : base;
              const rows = await people.find(filter, { sort: { email: direction, _id: direction }, limit: pageSize });
              seen.push(...ids(rows));
              if (rows.length < pageSize) break;
              last = rows[rows.length - 1];
            }
            expect(seen).toEqual(ordered);
          }
          // Nulls and missing values first ascending, last descending (MongoDB's order).
          const firstFour = ordered.slice(0, 4).sort();
          const lastFour = ordered.slice(-4).sort();
          expect(direction === 1 ? firstFour : lastFour).toEqual(['p1', 'p3', 'p5', 'p7']);
        },
      );
    });

    describe('unique indexes', () => {
      it('rejects a second document with the same key', async () => {
        const customers = fresh('customers');
        await customers.ensureIndexes([{ keys: { workspace_id: 1, email: 1 }, unique: true }]);
        await customers.put(ticket('c1', { email: 'a@example.com' }));
        await customers.put(ticket('c2', { email: 'a@example.com', workspace_id: 'w2' }));
        await expect(customers.put(ticket('c3', { email: 'a@example.com' }))).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await customers.findOne({ _id: 'c3' })).toBeNull();
        // The holder itself may be rewritten with the same key, and the key freed by a change.
        expect(await customers.put(ticket('c1', { _position: 2, email: 'a@example.com', name: 'A' }))).toBe(true);
        expect(await customers.put(ticket('c1', { _position: 3, email: 'b@example.com' }))).toBe(true);
        expect(await customers.put(ticket('c3', { email: 'a@example.com' }))).toBe(true);
      });

      it('rejects an updateMany that would duplicate a key', async () => {
        const customers = fresh('customers');
        await customers.ensureIndexes([{ keys: { workspace_id: 1, email: 1 }, unique: true }]);
        await customers.put(ticket('c1', { email: 'a@example.com' }));
        await customers.put(ticket('c2', { email: 'b@example.com' }));
        await expect(customers.updateMany({ _id: 'c2' }, { $set: { email: 'a@example.com' } }, 5)).rejects.toBeInstanceOf(DuplicateKeyError);
        expect((await customers.findOne({ _id: 'c2' }))!.email).toBe('b@example.com');
      });

      it('allows duplicates outside a partial filter', async () => {
        const customers = fresh('customers');
        await customers.ensureIndexes([{ keys: { workspace_id: 1, email: 1 }, unique: true, partialFilterExpression: { active: true } }]);
        await customers.put(ticket('c1', { email: 'a@example.com', active: true }));
        expect(await customers.put(ticket('c2', { email: 'a@example.com', active: false }))).toBe(true);
        expect(await customers.put(ticket('c3', { email: 'a@example.com', active: false }))).toBe(true);
        await expect(customers.put(ticket('c4', { email: 'a@example.com', active: true }))).rejects.toBeInstanceOf(DuplicateKeyError);
        // Leaving the filter frees the key.
        await customers.put(ticket('c1', { _position: 2, email: 'a@example.com', active: false }));
        expect(await customers.put(ticket('c4', { email: 'a@example.com', active: true }))).toBe(true);
      });

      it('is idempotent to declare twice', async () => {
        const customers = fresh('customers');
        const spec = [{ keys: { workspace_id: 1, email: 1 } as const, unique: true }];
        await customers.ensureIndexes(spec);
        await customers.ensureIndexes(spec);
        await customers.put(ticket('c1', { email: 'a@example.com' }));
        await expect(customers.put(ticket('c2', { email: 'a@example.com' }))).rejects.toBeInstanceOf(DuplicateKeyError);
      });
    });

    describe('store', () => {
      it('keeps checkpoints, 0 by default', async () => {
        const name = `projection_${randomUUID()}`;
        expect(await store.getCheckpoint(name)).toBe(0);
        await store.saveCheckpoint(name, 42);
        await store.saveCheckpoint(name, 57);
        expect(await store.getCheckpoint(name)).toBe(57);
        expect(await store.getCheckpoint(`${name}_other`)).toBe(0);
      });

      it('drops a collection with its documents and indexes', async () => {
        const name = `contract_drop_${randomUUID().replace(/-/g, '')}`;
        used.push(name);
        const customers = store.collection(name);
        await customers.ensureIndexes([{ keys: { email: 1 }, unique: true }]);
        await customers.put(ticket('c1', { email: 'a@example.com' }));
        await store.dropCollection(name);
        expect(await store.collection(name).count({})).toBe(0);
        await store.collection(name).put(ticket('c1', { email: 'a@example.com' }));
        expect(await store.collection(name).put(ticket('c2', { email: 'a@example.com' }))).toBe(true);
        await store.dropCollection(`contract_never_created_${randomUUID().replace(/-/g, '')}`);
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });
  });
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
