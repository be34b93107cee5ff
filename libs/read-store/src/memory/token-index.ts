import type { Filter, ProjectedDocument } from '../read-store.port';
import type { DerivedTokens } from '../search/derived-tokens';
import { fieldTexts, forEachSearchToken } from '../search/search-tokens';
import { isIndexedValue, type IndexedValue } from './memory-index';
import { intersectPostings, postingAdd, postingRemove, postingSize, type Posting, type SlotSet } from './posting-list';

const NO_SLOTS: number[] = [];

/** How long a slice of a background build may hold the event loop. */
const BUILD_SLICE_MS = 4;

/**
 * What the in-memory adapter makes of a token index (IndexSpec.tokens): for every token of the
 * source texts, the ascending slots of the documents holding it (posting-list.ts; a slot per
 * `_id`, handed out in the order documents are indexed), so a new document's slot is appended,
 * and a query's `$all` is the intersection of its tokens' lists, smallest first.
 *
 * Lists hold slots, not documents: a write that leaves the source texts as they were (a
 * projection spreads the stored document, so they are the same values) touches no list,
 * however many tokens the document has.
 *
 * Computing the tokens costs the trigrams of every text, so the first query that uses the index
 * starts a background build, in slices of a few milliseconds between which I/O goes on, and
 * queries are answered without the index until it is built. A replay at start thus computes no
 * token, and a collection nobody searches never does.
 */
export class TokenIndex<T extends ProjectedDocument> {
  readonly field: string;
  private state: 'none' | 'building' | 'built' = 'none';
  /** Changed by clear(): a build started before it stops. */
  private generation = 0;
  private building: Promise<void> | null = null;
  private readonly postings = new Map<IndexedValue, Posting>();
  private readonly slots = new Map<string, number>();
  private ids: string[] = [];
  /** The slot being indexed, for addToken (one callback, no closure per document). */
  private current = -1;
  /**
   * The slots a build will hand out (the documents there were when it started): lists take
   * their final form and size at once instead of growing through every smaller one.
   */
  private expected = 0;
  private readonly addToken = (token: IndexedValue): void => {
    const posting = this.postings.get(token);
    const next = postingAdd(posting, this.current, Math.max(this.ids.length, this.expected));
    if (next !== posting) this.postings.set(token, next);
  };

  constructor(readonly derived: DerivedTokens) {
    this.field = derived.field;
  }

  get isBuilt(): boolean {
    return this.state === 'built';
  }

  get slotCount(): number {
    return this.ids.length;
  }

  /** Whether the index answers now; the first call starts its build in the background. */
  ready(docs: Map<string, T>): boolean {
    if (this.state === 'built') return true;
    void this.build(docs);
    return false;
  }

  /** Builds the index in background slices; resolves once it is built or cleared. */
  build(docs: Map<string, T>): Promise<void> {
    if (this.state === 'built') return Promise.resolve();
    if (this.building) return this.building;
    this.state = 'building';
    this.expected = docs.size;
    const generation = this.generation;
    // A live iterator: a document added meanwhile is visited later, a rewritten one (same key,
    // same place) is visited in its current version if not yet visited, and followed by
    // replace() once it has been.
    const entries = docs.values();
    this.building = new Promise<void>((resolve) => {
      const slice = (): void => {
        if (generation !== this.generation) return resolve();
        const until = performance.now() + BUILD_SLICE_MS;
        for (let n = 1; ; n++) {
          const next = entries.next();
          if (next.done) {
            this.state = 'built';
            this.building = null;
            return resolve();
          }
          this.insert(next.value);
          if ((n & 63) === 0 && performance.now() >= until) break;
        }
        setImmediate(slice);
      };
      setImmediate(slice);
    });
    return this.building;
  }

  /** A new document. */
  add(doc: T): void {
    // While building, the build's iterator reaches it.
    if (this.state === 'built') this.insert(doc);
  }

  /** `next` is a new version of `previous` (same `_id`). */
  replace(previous: T, next: T): void {
    if (this.state === 'none') return;
    const slot = this.slots.get(next._id);
    // Not indexed yet: the build will index its current version.
    if (slot === undefined) return this.state === 'built' ? this.insert(next) : undefined;
    const source = this.derived.from;
    let same = true;
    for (let i = 0; i < source.length && same; i++) same = previous[source[i]] === next[source[i]];
    if (same) return;
    const before = new Set(this.tokensOf(previous));
    const after = new Set(this.tokensOf(next));
    for (const token of before) if (!after.has(token)) this.removeToken(token, slot);
    this.current = slot;
    for (const token of after) if (!before.has(token)) this.addToken(token);
  }

  clear(): void {
    this.generation++;
    this.state = 'none';
    this.expected = 0;
    this.building = null;
    this.postings.clear();
    this.slots.clear();
    this.ids = [];
  }

  /** The `_id` of a slot. */
  idAt(slot: number): string {
    return this.ids[slot];
  }

  slotOf(id: string): number | undefined {
    return this.slots.get(id);
  }

  /** The slots of the documents holding every one of `tokens` (at least one). */
  intersect(tokens: readonly IndexedValue[]): SlotSet {
    const lists: Posting[] = [];
    for (const token of new Set(tokens)) {
      const posting = this.postings.get(token);
      if (posting === undefined) return intersectPostings([NO_SLOTS]);
      lists.push(posting);
    }
    return intersectPostings(lists.length > 0 ? lists : [NO_SLOTS]);
  }

  private insert(doc: T): void {
    if (this.slots.has(doc._id)) return;
    this.current = this.ids.length;
    this.slots.set(doc._id, this.current);
    this.ids.push(doc._id);
    forEachSearchToken(fieldTexts(doc, this.derived.from), this.addToken);
  }

  private tokensOf(doc: T): number[] {
    const tokens: number[] = [];
    forEachSearchToken(fieldTexts(doc, this.derived.from), (token) => tokens.push(token));
    return tokens;
  }

  private removeToken(token: IndexedValue, slot: number): void {
    const posting = this.postings.get(token);
    if (posting === undefined) return;
    postingRemove(posting, slot);
    if (postingSize(posting) === 0) this.postings.delete(token);
  }
}

/**
 * The values a filter requires `field` to hold, read from equalities and `$all` on it at the
 * top level or under `$and` (every one of those must hold, so narrowing by them is sound);
 * null when it requires none.
 */
export function requiredTokens(filter: Filter, field: string): IndexedValue[] | null {
  let found: IndexedValue[] | null = null;
  const visit = (f: Filter): void => {
    for (const key in f) {
      const condition = f[key];
      if (key === field) {
        const values = conditionValues(condition);
        if (values) found = found ? found.concat(values) : values;
      } else if (key === '$and' && Array.isArray(condition)) {
        for (const branch of condition) if (branch !== null && typeof branch === 'object') visit(branch as Filter);
      }
    }
  };
  visit(filter);
  return found;
}

function conditionValues(condition: unknown): IndexedValue[] | null {
  if (isIndexedValue(condition)) return [condition];
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return null;
  let values: IndexedValue[] | null = null;
  for (const op in condition) {
    const arg = (condition as Record<string, unknown>)[op];
    if (op === '$eq' && isIndexedValue(arg)) values = [...(values ?? []), arg];
    // `$all: []` matches nothing in MongoDB; it is left to the filter test.
    else if (op === '$all' && Array.isArray(arg) && arg.length > 0 && arg.every(isIndexedValue)) values = [...(values ?? []), ...(arg as IndexedValue[])];
  }
  return values;
}

/**
 * `filter` without its conditions on the derived token `fields`. Documents do not hold those
 * fields: such a condition narrows through the index only, beside the exact test it narrows
 * (substringSearch), so it is read where requiredTokens reads it (at the top level or under
 * `$and`, an equality or a non-empty `$all`) and refused anywhere else, where dropping it would
 * change the answer.
 */
export function withoutTokenConditions(filter: Filter, fields: ReadonlySet<string>): Filter {
  let out: Filter | null = null;
  for (const key in filter) {
    const condition = filter[key];
    if (fields.has(key)) {
      if (!narrowsOnly(condition)) throw new TypeError(`${key} is derived by the read store: filters may only narrow by it (equality or $all)`);
      out ??= { ...filter };
      delete out[key];
    } else if (key === '$and' && Array.isArray(condition)) {
      const branches = condition.map((branch: unknown) => (isFilter(branch) ? withoutTokenConditions(branch, fields) : branch));
      if (branches.some((branch, i) => branch !== condition[i])) (out ??= { ...filter })[key] = branches;
    } else if (namesField(key, condition, fields)) {
      throw new TypeError(`${key} names a field derived by the read store, which filters may only narrow by at the top level or under $and`);
    }
  }
  return out ?? filter;
}

function narrowsOnly(condition: unknown): boolean {
  if (isIndexedValue(condition)) return true;
  if (!isFilter(condition)) return false;
  const ops = Object.keys(condition);
  return (
    ops.length > 0 &&
    ops.every((op) => {
      const arg = condition[op];
      return op === '$eq' ? isIndexedValue(arg) : op === '$all' && Array.isArray(arg) && arg.length > 0 && arg.every(isIndexedValue);
    })
  );
}

/** Whether `key` (with `condition`) is a path into one of `fields`, or a `$or`/`$nor` naming one. */
function namesField(key: string, condition: unknown, fields: ReadonlySet<string>): boolean {
  for (const field of fields) if (key === field || key.startsWith(`${field}.`)) return true;
  if ((key === '$or' || key === '$nor' || key === '$and') && Array.isArray(condition)) {
    for (const branch of condition) {
      if (!isFilter(branch)) continue;
      for (const inner in branch) if (namesField(inner, branch[inner], fields)) return true;
    }
  }
  return false;
}

function isFilter(value: unknown): value is Filter {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RegExp) && !(value instanceof Date);
}
