import { length } from 'class-validator';
import { characterCount } from './character-count';

describe('characterCount', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['жжж', 3],
    ['😀', 1],
    ['a😀b😀', 4],
    ['\ud83d', 1], // a lone surrogate is one (the well-formed text check refuses it later)
    ['\ude00\ud83d', 2],
    ['\ud83d\ud83d\ude00', 2],
    ['❤️', 1], // U+2764 U+FE0F
    ['❤︎x', 2],
  ])('%j has %i characters', (text, expected) => {
    expect(characterCount(text)).toBe(expected);
  });

  it('counts as class-validator’s Length does', () => {
    for (const text of ['😀ж'.repeat(10_000) + 'x', '❤️'.repeat(20_001), 'a\ufe0f\ud83d\ude00\ufe0e', '']) {
      expect(characterCount(text)).toBe(
        text.length - (text.match(/\uFE0F|\uFE0E/g) ?? []).length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g) ?? []).length,
      );
      expect(length(text, 0, characterCount(text))).toBe(true);
      if (text.length > 0) expect(length(text, 0, characterCount(text) - 1)).toBe(false);
    }
  });
});
