// The root entry re-exports mingo/updater's `update`; tsconfig's node10 resolution cannot see subpath exports.
import { update as applyUpdate } from 'mingo';
import type { Filter, FindOptions, IndexSpec, ProjectedDocument, ReadCollection, Sort, Update } from '../read-store.port';
import { compareKeys, compareValues, sortKeyValue } from './compare-values';
import { readPath } from './document-path';
import { boundOf } from './filter-bounds';
import { applySimpleUpdate } from './fast-update';
import { DocumentTest, compileFilter } from './fast-filter';
import { adoptFrozen, frozenClone, thawedClone } from './frozen-clone';
import { IndexedValue, MemoryIndex, SortField, isIndexedValue } from './memory-index';
import type { SlotSet } from './posting-list';
import { TokenIndex, requiredTokens, withoutTokenConditions } from './token-index';
import { derivedTokens, sourceChanges } from '../search/derived-tokens';
import { UniqueConstraint } from './unique-constraint';

/**
 * List endpoints count the same filter for every page (`meta.total`), and a count is a scan.
 * So counts are remembered and kept exact on each write by testing the old and new version of
 * the written document (two filter tests per remembered filter); capped because that per-write
 * cost grows with the number of filters remembered.
 */
const COUNT_CACHE_LIMIT = 32;

interface LiveCount {
  test: DocumentTest;
  count: number;
}

interface Plan<T extends ProjectedDocument> {
  /** Documents that may match, a superset of the answer (mingo decides). */
  candidates: Iterable<T>;
  /** Set when the candidates already come in the requested order and can stop at `limit`. */
  ordered?: { index: MemoryIndex<T>; value: IndexedValue; reverse: boolean };
  /** With `ordered`: a cheap pre-test, before the filter's, of documents a token index admits. */
  admit?: (doc: T) => boolean;
}

/**
 * How many documents a sorted walk may test, per document it is asked for, for each
 * token-index candidate it spares from being tested and sorted: above this, the candidates are
 * sorted instead (a walk's test is a slot lookup; a candidate costs a filter test and its share
 * of a sort).
 */
const WALK_PER_CANDIDATE = 4;

/**
 * An in-memory collection: documents in a Map by `_id`, stored frozen (a put document itself,
 * see frozen-clone.ts),
 * filters and updates evaluated as MongoDB would (directly for the simple forms, see
 * fast-filter.ts and fast-update.ts, by mingo otherwise), declared indexes
 * used to narrow and order candidates (see memory-index.ts).
 */
export class MemoryReadCollection<T extends ProjectedDocument = ProjectedDocument> implements ReadCollection<T> {
  private readonly docs = new Map<string, T>();
  private indexes: MemoryIndex<T>[] = [];
  private tokenIndexes: TokenIndex<T>[] = [];
  /** The fields of derived token indexes: documents do not hold them (see withoutTokenConditions). */
  private readonly derivedFields = new Set<string>();
  private uniques: UniqueConstraint<T>[] = [];
  private readonly declared = new Set<string>();
  private readonly counts = new Map<string, LiveCount>();

  constructor(readonly name: string) {}

  async findOne(filter: Filter): Promise<T | null> {
    const byId = this.byIdOnly(filter);
    if (byId !== undefined) return byId;
    return this.select(filter, { limit: 1 })[0] ?? null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    return this.select(filter, options);
  }

  async count(filter: Filter): Promise<number> {
    const cacheKey = filterKey(filter);
    const cached = this.counts.get(cacheKey);
    if (cached !== undefined) return cached.count;
    const test = this.compile(filter);
    let n = 0;
    for (const doc of this.plan(filter, undefined).candidates) if (test(doc)) n++;
    if (this.counts.size >= COUNT_CACHE_LIMIT) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(cacheKey, { test, count: n });
    return n;
  }

  async put(doc: T): Promise<boolean> {
    assertDocument(doc);
    const existing = this.docs.get(doc._id);
    if (existing && existing._position >= doc._position) return false;
    this.replace(existing, adoptFrozen(this.derivedFields.size > 0 ? this.withoutDerivedFields(doc) : doc, existing));
    return true;
  }

  async updateMany(filter: Filter, update: Update, position: number): Promise<number> {
    this.checkUpdate(update);
    // A projection's usual write: one document by `_id`, no filter to compile or plan.
    const byId = this.byIdOnly(filter);
    if (byId !== undefined) {
      if (byId === null || byId._position >= position) return 0;
      this.applyUpdate(byId, update, position);
      return 1;
    }
    const test = this.compile(filter);
    const targets: T[] = [];
    for (const doc of this.plan(filter, undefined).candidates) {
      if (doc._position < position && test(doc)) targets.push(doc);
    }
    for (const doc of targets) this.applyUpdate(doc, update, position);
    return targets.length;
  }

  async clear(): Promise<void> {
    this.docs.clear();
    for (const index of this.indexes) index.clear();
    for (const index of this.tokenIndexes) index.clear();
    for (const unique of this.uniques) unique.clear();
    this.counts.clear();
  }

  /**
   * Builds the derived token indexes now, in the background as a first search would; resolves
   * once they serve queries. Queries are exact before too (tests use this to reach both paths).
   */
  async buildTokenIndexes(): Promise<void> {
    for (const index of this.tokenIndexes) await index.build(this.docs);
  }

  /** Whether every token index serves queries (they are built in the background). */
  get tokenIndexesBuilt(): boolean {
    return this.tokenIndexes.every((index) => index.isBuilt);
  }

  async ensureIndexes(specs: IndexSpec[]): Promise<void> {
    for (const spec of specs) {
      const id = JSON.stringify([spec.keys, !!spec.unique, spec.partialFilterExpression ?? null, spec.tokens ?? null]);
      if (this.declared.has(id)) continue;
      if (spec.unique) {
        // Built aside and attached only if the existing documents satisfy it, like createIndexes.
        const unique = new UniqueConstraint<T>(this.name, spec);
        for (const doc of this.docs.values()) {
          unique.check(doc);
          unique.add(doc);
        }
        this.uniques.push(unique);
      }
      // Built by the first query that uses it (see memory-index.ts, token-index.ts).
      const derived = derivedTokens(spec);
      if (derived) {
        this.tokenIndexes.push(new TokenIndex<T>(derived));
        this.derivedFields.add(derived.field);
      } else if (MemoryIndex.usable(spec)) this.indexes.push(new MemoryIndex<T>(spec));
      this.declared.add(id);
    }
  }

  /** Dropping the collection also forgets its indexes; handles held elsewhere stay usable. */
  drop(): void {
    void this.clear();
    this.indexes = [];
    this.tokenIndexes = [];
    this.derivedFields.clear();
    this.uniques = [];
    this.declared.clear();
  }

  /** The filter's test on documents (conditions on derived token fields hold for all: they only narrow). */
  private compile(filter: Filter): DocumentTest {
    return compileFilter(this.derivedFields.size > 0 ? withoutTokenConditions(filter, this.derivedFields) : filter);
  }

  /** `doc` without values of its own in derived token fields (the store's; adoptFrozen drops undefined). */
  private withoutDerivedFields(doc: T): T {
    let out = doc;
    for (const field of this.derivedFields) if (out[field] !== undefined) out = { ...out, [field]: undefined };
    return out;
  }

  /** Refuses an update that changes search source texts other than whole (as MongoDB must). */
  private checkUpdate(update: Update): void {
    for (const index of this.tokenIndexes) sourceChanges(update, index.derived);
  }

  private applyUpdate(doc: T, update: Update, position: number): void {
    const direct = applySimpleUpdate(doc, update);
    if (direct) {
      (direct as ProjectedDocument)._position = position;
      this.replace(doc, Object.freeze(direct));
      return;
    }
    const next = thawedClone(doc);
    applyUpdate(next, update);
    (next as ProjectedDocument)._position = position;
    // Copied again rather than frozen in place: mingo may share values with `update`.
    this.replace(doc, frozenClone(next));
  }

  private replace(previous: T | undefined, next: T): void {
    // Check every unique index before touching any, so a rejected write changes nothing.
    for (const unique of this.uniques) unique.check(next);
    if (previous) {
      for (const unique of this.uniques) unique.remove(previous);
      for (const unique of this.uniques) unique.add(next);
      for (const index of this.indexes) index.replace(previous, next);
      for (const index of this.tokenIndexes) index.replace(previous, next);
    } else {
      for (const unique of this.uniques) unique.add(next);
      for (const index of this.indexes) index.add(next);
      for (const index of this.tokenIndexes) index.add(next);
    }
    this.docs.set(next._id, next);
    for (const live of this.counts.values()) {
      live.count += (live.test(next) ? 1 : 0) - (previous && live.test(previous) ? 1 : 0);
    }
  }

  private select(filter: Filter, options: FindOptions): T[] {
    const skip = Math.max(0, options.skip ?? 0);
    // MongoDB reads a limit of 0 as "no limit".
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const sort = sortFields(options.sort);
    const test = this.compile(filter);
    const plan = this.plan(filter, sort, skip + limit);

    if (plan.ordered || sort.length === 0) {
      const out: T[] = [];
      let skipped = 0;
      const admit = plan.ordered ? plan.admit : undefined;
      const visit = (doc: T): boolean => {
        if (admit && !admit(doc)) return true;
        if (!test(doc)) return true;
        if (skipped < skip) skipped++;
        else out.push(doc);
        return out.length < limit;
      };
      if (plan.ordered) this.walk(plan.ordered, filter, sort, visit);
      else for (const doc of plan.candidates) if (!visit(doc)) break;
      return out;
    }

    const matches: T[] = [];
    for (const doc of plan.candidates) if (test(doc)) matches.push(doc);
    if (!sort.some(([field]) => field === '_id')) sort.push(['_id', 1]);
    const directions = sort.map(([, direction]) => direction);
    const keyed = matches.map((doc) => ({ doc, key: sort.map(([field, direction]) => sortKeyValue(readPath(doc, field), direction)) }));
    keyed.sort((a, b) => compareKeys(a.key, b.key, directions));
    return keyed.slice(skip, skip + limit).map((entry) => entry.doc);
  }

  /** Walks an index bucket in query order, first seeking past what the filter's bound on the
   *  leading sort field excludes (so a deep keyset page does not test every earlier row). */
  private walk(ordered: NonNullable<Plan<T>['ordered']>, filter: Filter, sort: SortField[], visit: (doc: T) => boolean): void {
    const bucket = ordered.index.bucket(ordered.value);
    if (!bucket) return;
    let before: ((doc: T) => boolean) | null = null;
    if (sort.length > 0) {
      const [field, direction] = sort[0];
      const side = direction === 1 ? 'lower' : 'upper';
      const bound = boundOf(filter, field, side);
      if (bound !== undefined) {
        const position = ordered.index.sortFields.findIndex(([name]) => name === field);
        const index = ordered.index;
        before = (doc) => {
          const c = compareValues(index.sortValue(doc, position), bound);
          return side === 'lower' ? c < 0 : c > 0;
        };
      }
    }
    bucket.walk(ordered.reverse, before, visit);
  }

  /** The document for a filter that is exactly `{ _id: string }`, null if absent; undefined
   *  for any other filter. */
  private byIdOnly(filter: Filter): T | null | undefined {
    const id = filter._id;
    if (typeof id !== 'string') return undefined;
    for (const key in filter) if (key !== '_id') return undefined;
    return this.docs.get(id) ?? null;
  }

  /**
   * Candidates for `filter`: by `_id`; else the smallest bucket of an equality index, or the
   * documents a token index intersects to, or an index walk in `sort` order, whichever is
   * cheapest for `wanted` (skip + limit) documents.
   */
  private plan(filter: Filter, sort: SortField[] | undefined, wanted = Infinity): Plan<T> {
    const id = equalityValue(filter._id);
    if (typeof id === 'string') {
      const doc = this.docs.get(id);
      return { candidates: doc ? [doc] : [] };
    }
    const base = this.indexPlan(filter, sort);
    const tokens = this.tokenPlan(filter);
    if (!tokens) return base.plan;
    const { index, slots } = tokens;
    if (base.plan.ordered) {
      // A walk in order tests about wanted × size / matches documents before it has enough.
      const walk = Math.min(base.size, (wanted * base.size) / Math.max(1, slots.size));
      if (walk <= slots.size * WALK_PER_CANDIDATE) {
        const admit = (doc: T): boolean => {
          const slot = index.slotOf(doc._id);
          return slot !== undefined && slots.has(slot);
        };
        return { ...base.plan, admit };
      }
    } else if (base.size <= slots.size) return base.plan;
    const docs: T[] = [];
    for (const slot of slots.slots()) {
      const doc = this.docs.get(index.idAt(slot));
      if (doc) docs.push(doc);
    }
    return { candidates: docs };
  }

  /** The smallest intersection of a token index's lists the filter requires, if any. */
  private tokenPlan(filter: Filter): { index: TokenIndex<T>; slots: SlotSet } | null {
    let best: { index: TokenIndex<T>; slots: SlotSet } | null = null;
    for (const index of this.tokenIndexes) {
      const tokens = requiredTokens(filter, index.field);
      if (!tokens || !index.ready(this.docs)) continue;
      const slots = index.intersect(tokens);
      if (!best || slots.size < best.slots.size) best = { index, slots };
    }
    return best;
  }

  /** The plan from the ordered indexes, with how many documents it yields (or walks) at most. */
  private indexPlan(filter: Filter, sort: SortField[] | undefined): { plan: Plan<T>; size: number } {
    let smallest: { index: MemoryIndex<T>; value: IndexedValue; size: number } | null = null;
    const sized = new Set<string>();
    for (const index of this.indexes) {
      const value = equalityValue(readTopLevel(filter, index.field));
      if (!isIndexedValue(value)) continue;
      if (sort && !(index.isBuilt && index.multikeySort)) {
        const reverse = servesSort(
          index,
          sort.filter(([field]) => field !== index.field),
        );
        if (reverse !== null) {
          index.ensureBuilt(this.docs.values());
          if (!index.multikeySort) return { plan: { candidates: [], ordered: { index, value, reverse } }, size: index.bucket(value)?.size ?? 0 };
        }
      }
      // Indexes on the same leading field have the same buckets: only the first is a candidate
      // (a later one could never be strictly smaller), so only it needs building.
      if (sized.has(index.field)) continue;
      sized.add(index.field);
      index.ensureBuilt(this.docs.values());
      const size = index.bucket(value)?.size ?? 0;
      if (!smallest || size < smallest.size) smallest = { index, value, size };
    }
    if (smallest) {
      const bucket = smallest.index.bucket(smallest.value);
      const docs: T[] = [];
      bucket?.walk(false, null, (doc) => {
        docs.push(doc);
        return true;
      });
      return { plan: { candidates: docs }, size: docs.length };
    }
    return { plan: { candidates: this.docs.values() }, size: this.docs.size };
  }
}

/** null when the index order cannot produce `sort`; otherwise whether to walk it backwards. */
function servesSort<T extends ProjectedDocument>(index: MemoryIndex<T>, sort: SortField[]): boolean | null {
  if (sort.length === 0) return false;
  if (sort.length > index.sortFields.length) return null;
  let forward = true;
  let backward = true;
  sort.forEach(([field, direction], i) => {
    const [indexField, indexDirection] = index.sortFields[i];
    if (field !== indexField) forward = backward = false;
    else if (direction === indexDirection) backward = false;
    else forward = false;
  });
  return forward ? false : backward ? true : null;
}

function sortFields(sort: Sort | undefined): SortField[] {
  return sort ? Object.entries(sort).map(([field, direction]) => [field, direction === -1 ? -1 : 1] as const) : [];
}

/** `x` or `{ $eq: x }`; anything else is not a plain equality. */
function equalityValue(condition: unknown): unknown {
  if (condition !== null && typeof condition === 'object' && !Array.isArray(condition) && !(condition instanceof Date)) {
    const keys = Object.keys(condition);
    return keys.length === 1 && keys[0] === '$eq' ? (condition as { $eq: unknown }).$eq : undefined;
  }
  return condition;
}

function readTopLevel(filter: Filter, field: string): unknown {
  return Object.prototype.hasOwnProperty.call(filter, field) ? filter[field] : undefined;
}

/** A cache key for a filter: JSON, with regular expressions and dates told apart from strings. */
function filterKey(filter: Filter): string {
  return JSON.stringify(filter, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = key === '' ? value : this[key];
    if (original instanceof RegExp) return { $__regex: original.source, flags: original.flags };
    if (original instanceof Date) return { $__date: original.getTime() };
    return value;
  });
}

function assertDocument(doc: ProjectedDocument): void {
  if (typeof doc._id !== 'string' || doc._id === '') throw new TypeError('A projected document needs a string _id');
  if (typeof doc._position !== 'number' || Number.isNaN(doc._position)) {
    throw new TypeError(`Document ${doc._id} needs a numeric _position`);
  }
}
