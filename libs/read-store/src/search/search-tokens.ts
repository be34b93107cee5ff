import type { Filter, IndexSpec } from '../read-store.port';
import { escapeRegex } from '../cursor/keyset-page';

/**
 * Indexed substring search, written once for both read stores. A searchable document has the
 * trigram tokens of its searchable text in `search_tokens` (a multikey array, one entry per
 * distinct trigram, with an index), derived by the store from the text fields
 * (searchTokensIndex: MongoDB writes the field, the memory store keeps posting lists only). A
 * search for `q` is then the contract's rule, a case-insensitive `$regex` on the text fields,
 * AND `search_tokens: { $all: trigrams of q }`: every trigram of a substring of a text is a
 * trigram of that text, so the `$all` term never removes a match and only narrows the
 * candidates (the indexes do the narrowing: the memory store intersects posting lists, MongoDB
 * walks its multikey index), while the `$regex` keeps the answer exact. Queries of fewer than
 * three characters have no trigram and scan.
 *
 * A token is a number, not a string: a trigram of folded code points all below 1024 (Latin,
 * Greek, Cyrillic and the ASCII punctuation) is packed exactly into 30 bits, any other is
 * hashed into the same 30 bits. A hash collision can only add candidates, never lose a match.
 * 30 bits keep every token a small integer, so a token array is a compact array of integers.
 *
 * Case folding is coarser than any case-insensitive match it narrows for: two characters that
 * JavaScript's `i` flag (or PCRE's caseless mode, MongoDB's) treats as equal fold to the same
 * code point (the lower case of the single-character upper case), so folding can only merge
 * more characters than the match does, never fewer.
 */
export const SEARCH_TOKENS_FIELD = 'search_tokens';

/**
 * The index a searchable collection declares to have the store derive `search_tokens` from the
 * texts of `fields` (see IndexSpec.tokens): the projection computes nothing and the documents
 * carry nothing, so replaying the log pays nothing for search.
 */
export function searchTokensIndex(fields: readonly string[]): IndexSpec {
  return { keys: { [SEARCH_TOKENS_FIELD]: 1 }, tokens: { from: [...fields] } };
}

/** More query tokens narrow little further; fewer keep filters (and their cache keys) small. */
const MAX_QUERY_TOKENS = 32;

const ASCII_FOLD = new Int32Array(128);
for (let c = 0; c < 128; c++) ASCII_FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;
/** Folded BMP code point + 1; 0 until computed. */
const BMP_FOLD = new Int32Array(0x10000);
const ASTRAL_FOLD = new Map<number, number>();

function computeFold(cp: number): number {
  const s = String.fromCodePoint(cp);
  let upper = s.toUpperCase();
  if (!isOneCodePoint(upper)) upper = s;
  const lower = upper.toLowerCase();
  return (isOneCodePoint(lower) ? lower : upper).codePointAt(0)!;
}

const isOneCodePoint = (s: string): boolean => s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff);

/** The code point `cp` folds to. */
export function foldCodePoint(cp: number): number {
  if (cp < 128) return ASCII_FOLD[cp];
  if (cp < 0x10000) {
    const known = BMP_FOLD[cp];
    if (known !== 0) return known - 1;
    const folded = computeFold(cp);
    BMP_FOLD[cp] = folded + 1;
    return folded;
  }
  let folded = ASTRAL_FOLD.get(cp);
  if (folded === undefined) ASTRAL_FOLD.set(cp, (folded = computeFold(cp)));
  return folded;
}

function trigram(a: number, b: number, c: number): number {
  if ((a | b | c) < 0x400) return (a << 20) | (b << 10) | c;
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(c + 0x165667b1, 0xc2b2ae3d)) & 0x3fffffff;
}

/**
 * The distinct tokens added since `reset`, kept in a reused open-addressing table with
 * generation stamps and a reused buffer: no Set, and one allocation per document, the answer,
 * sized exactly (this runs for every document a token index reads).
 */
class TokenCollector {
  private keys = new Int32Array(1024);
  private stamps = new Uint32Array(1024);
  private shift = 32 - 10;
  private generation = 0;
  private buffer = new Int32Array(512);
  count = 0;

  reset(): void {
    if (++this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
    this.count = 0;
  }

  forEach(visit: (token: number) => void): void {
    for (let i = 0; i < this.count; i++) visit(this.buffer[i]);
  }

  /** The tokens collected, as a new array of exactly their number. */
  tokens(): number[] {
    const out = new Array<number>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.buffer[i];
    return out;
  }

  add(token: number): void {
    const keys = this.keys;
    const stamps = this.stamps;
    const mask = keys.length - 1;
    let h = Math.imul(token, 0x9e3779b1) >>> this.shift;
    while (stamps[h] === this.generation) {
      if (keys[h] === token) return;
      h = (h + 1) & mask;
    }
    stamps[h] = this.generation;
    keys[h] = token;
    if (this.count === this.buffer.length) {
      const larger = new Int32Array(this.count * 2);
      larger.set(this.buffer);
      this.buffer = larger;
    }
    this.buffer[this.count++] = token;
    if (this.count * 2 > keys.length) this.grow();
  }

  private grow(): void {
    const size = this.keys.length * 2;
    this.keys = new Int32Array(size);
    this.stamps = new Uint32Array(size);
    this.shift--;
    this.generation = 1;
    const kept = this.buffer.slice(0, this.count);
    this.count = 0;
    for (const token of kept) this.add(token);
  }
}

const collector = new TokenCollector();

function addTrigrams(text: string): void {
  let a = -1;
  let b = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    const c = cp < 128 ? ASCII_FOLD[cp] : foldCodePoint(cp);
    if (a >= 0) collector.add(trigram(a, b, c));
    a = b;
    b = c;
  }
}

const NO_TOKENS: readonly number[] = Object.freeze([]);

/**
 * The texts a document holds in `fields`, as a case-insensitive `$regex` on each field sees
 * them: a string, or the strings in an array (matched one by one); anything else holds none.
 */
export function fieldTexts(doc: Readonly<Record<string, unknown>>, fields: readonly string[]): string[] {
  const texts: string[] = [];
  for (const field of fields) {
    const value = doc[field];
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') texts.push(item);
  }
  return texts;
}

/** Calls `visit` with each distinct token of `texts`: searchTokens for a caller that keeps no array. */
export function forEachSearchToken(texts: readonly string[], visit: (token: number) => void): void {
  collector.reset();
  for (const text of texts) if (text) addTrigrams(text);
  collector.forEach(visit);
}

/**
 * The search tokens of a document's searchable texts (null or absent ones skipped): distinct,
 * in order of first appearance, frozen (the empty answer is one shared array).
 */
export function searchTokens(...texts: ReadonlyArray<string | null | undefined>): readonly number[] {
  collector.reset();
  for (const text of texts) if (text) addTrigrams(text);
  return collector.count === 0 ? NO_TOKENS : Object.freeze(collector.tokens());
}

/** A lone surrogate: a query holding one could match half of a pair, which the tokens do not see. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The tokens every text containing `query` (case-insensitively) has; empty when the query cannot be narrowed. */
export function queryTokens(query: string): number[] {
  if (LONE_SURROGATE.test(query)) return [];
  const tokens = searchTokens(query);
  return tokens.slice(0, MAX_QUERY_TOKENS);
}

/**
 * The filter for "`query` is a case-insensitive substring of one of `fields`": exactly the
 * `$regex` rule, narrowed by the token index when the query has trigrams. For a collection
 * that declares searchTokensIndex(fields).
 */
export function substringSearch(query: string, fields: readonly string[]): Filter {
  const exact = substringMatch(query, fields);
  const tokens = queryTokens(query);
  // The exact test first: a document walked in sort order is most often rejected by it.
  return tokens.length === 0 ? exact : { $and: [exact, { [SEARCH_TOKENS_FIELD]: { $all: tokens } }] };
}

/** The contract's substring rule alone (case-insensitive, on any of `fields`). */
function substringMatch(query: string, fields: readonly string[]): Filter {
  const pattern = escapeRegex(query);
  return { $or: fields.map((field) => ({ [field]: { $regex: pattern, $options: 'i' } })) };
}
