import { parseQueryInteger } from './query-integer.decorator';

describe('parseQueryInteger', () => {
  it.each([
    ['5', 5],
    ['05', 5],
    ['100', 100],
    ['0', 0],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %p as %p', (text, value) => {
    expect(parseQueryInteger(text)).toBe(value);
  });

  it.each(['0x10', ' 5', '5 ', '1e1', '+5', '-5', '5.0', '', '０５', '0b101', 'Infinity'])('leaves %p as it came (for @IsInt to refuse)', (text) => {
    expect(parseQueryInteger(text)).toBe(text);
  });

  it('leaves a repeated parameter (an array) as it came', () => {
    expect(parseQueryInteger(['1', '2'])).toEqual(['1', '2']);
  });
});
