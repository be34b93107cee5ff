import { isStoredInstant } from '@ledgerdesk/shared';
import { parseQueryInstant } from './query-instant.decorator';

describe('parseQueryInstant', () => {
  it.each([
    ['2026-12-05T01:48:05.351Z', '2026-12-05T01:48:05.351Z'],
    ['2026-12-05T01:48:05Z', '2026-12-05T01:48:05.000Z'],
    ['2026-12-04T21:47:58.736-05:00', '2026-12-05T02:47:58.736Z'],
    ['2026-12-05T09:47:58.736+09:00', '2026-12-05T00:47:58.736Z'],
    ['2026-12-05T01:48Z', '2026-12-05T01:48:00.000Z'],
    ['2026-12-05', '2026-12-05T00:00:00.000Z'],
    ['2026-12-05T01:48:05', '2026-12-05T01:48:05.000Z'],
    ['2026-12-05 01:48:05', '2026-12-05T01:48:05.000Z'],
  ])('reads %p as the instant %p', (text, instant) => {
    expect(parseQueryInstant(text)).toBe(instant);
    expect(isStoredInstant(parseQueryInstant(text))).toBe(true);
  });

  it.each(['yesterday', 'Dec 5 2026', '2026-13-45T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '', '1733360000', '2026-W49-6'])(
    'leaves %p for the validator to refuse',
    (text) => {
      expect(isStoredInstant(parseQueryInstant(text))).toBe(false);
    },
  );

  it('leaves a repeated parameter (an array) as it came', () => {
    expect(parseQueryInstant(['2026-12-05', '2026-12-06'])).toEqual(['2026-12-05', '2026-12-06']);
  });
});
