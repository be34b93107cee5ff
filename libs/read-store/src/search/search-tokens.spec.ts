import { escapeRegex } from '../cursor/keyset-page';
import { SEARCH_TOKENS_FIELD, foldCodePoint, queryTokens, searchTokens, substringSearch } from './search-tokens';

// Deterministic PRNG (mulberry32).
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Case pairs, other scripts, an astral character, regex metacharacters, the JS regex case oddities. */
const ALPHABET = [...'aAbBcCxXyY ', ...'éÉüÜßẞσΣςжЖ', ...'ıIİiſsSKk', '漢', '字', '🙂', '𐐀', '𐐨', ...'.*+?^${}()|[]\\'];

describe('searchTokens', () => {
  it('holds every token of every case-insensitive substring (the $all term never loses a match)', () => {
    const rnd = prng(20);
    const pick = () => ALPHABET[Math.floor(rnd() * ALPHABET.length)];
    for (let round = 0; round < 3000; round++) {
      const text = Array.from({ length: 3 + Math.floor(rnd() * 30) }, pick).join('');
      const start = Math.floor(rnd() * text.length);
      let query = text.slice(start, start + 1 + Math.floor(rnd() * 10));
      query = [...query].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
      if (!new RegExp(escapeRegex(query), 'i').test(text)) continue;
      const held = new Set(searchTokens(text));
      for (const token of queryTokens(query)) {
        if (!held.has(token)) throw new Error(`${JSON.stringify(query)} in ${JSON.stringify(text)}: token ${token} missing`);
      }
    }
  });

  it('folds together every pair of characters the case-insensitive match treats as equal', () => {
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      const re = new RegExp(escapeRegex(ch), 'i');
      for (const other of [ch.toUpperCase(), ch.toLowerCase()]) {
        if (other.length !== 1 || !re.test(other)) continue;
        if (foldCodePoint(c) !== foldCodePoint(other.charCodeAt(0))) throw new Error(`U+${c.toString(16)} and ${other} fold apart`);
      }
    }
  });

  it('keeps each token once, frozen, and none for texts shorter than a trigram', () => {
    const tokens = searchTokens('abcabcabc', 'ABC', null, undefined);
    expect(tokens).toHaveLength(3); // abc, bca, cab
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(Object.isFrozen(tokens)).toBe(true);
    expect(tokens.every((t) => Number.isInteger(t) && t >= 0 && t < 2 ** 30)).toBe(true);
    expect(searchTokens('ab', null, '')).toEqual([]);
    // Trigrams do not span two texts.
    expect(searchTokens('ab', 'cd')).toEqual([]);
    expect(searchTokens('Printer')).toEqual(searchTokens('pRINTER'));
  });

  it('gives no query tokens to short queries or lone surrogates (they scan)', () => {
    expect(queryTokens('ab')).toEqual([]);
    expect(queryTokens('🙂🙂')).toEqual([]);
    expect(queryTokens('ab\ud83d')).toEqual([]);
    expect(queryTokens('abc')).toHaveLength(1);
    expect(queryTokens('x'.repeat(10) + 'abcdefghijklmnopqrstuvwxyz0123456789')).toHaveLength(32);
  });
});

describe('substringSearch', () => {
  it('is the $regex rule alone when the query has no trigram', () => {
    expect(substringSearch('a.', ['subject', 'description'])).toEqual({
      $or: [{ subject: { $regex: 'a\\.', $options: 'i' } }, { description: { $regex: 'a\\.', $options: 'i' } }],
    });
  });

  it('adds the $all narrowing on the tokens otherwise', () => {
    expect(substringSearch('Print', ['name'])).toEqual({
      $and: [{ $or: [{ name: { $regex: 'Print', $options: 'i' } }] }, { [SEARCH_TOKENS_FIELD]: { $all: queryTokens('print') } }],
    });
  });
});
