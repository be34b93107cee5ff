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
  ])('%j has %i characters', (text, expected) => {
    expect(characterCount(text)).toBe(expected);
  });

  it('counts as Array.from does on well-formed text', () => {
    const text = '😀ж'.repeat(10_000) + 'x';
    expect(characterCount(text)).toBe(Array.from(text).length);
  });
});
