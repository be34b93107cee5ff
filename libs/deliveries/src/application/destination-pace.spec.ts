import { DestinationPace, SLOW_ATTEMPT_MS, SLOW_DESTINATION_SLOTS } from './destination-pace';

describe('DestinationPace', () => {
  let now = 0;
  const pace = () => new DestinationPace(20, () => now);
  const beginMany = (p: DestinationPace, destination: string, n: number) => Array.from({ length: n }, () => p.begin(destination));

  beforeEach(() => (now = 1_000_000));

  it('gives a destination not heard from yet half the slots, the others the rest', () => {
    const p = pace();
    const started = beginMany(p, 'a', 12);
    expect(started.filter(Boolean)).toHaveLength(10);
    expect(beginMany(p, 'b', 10).every(Boolean)).toBe(true);
  });

  it('a quick destination gets every slot that comes', () => {
    const p = pace();
    p.begin('a')!(40);
    expect(beginMany(p, 'a', 30).every(Boolean)).toBe(true);
  });

  it('a destination whose attempts hang is held to a few slots, from the moment one has hung long enough', () => {
    const p = pace();
    const hanging = beginMany(p, 'a', 2);
    expect(hanging.every(Boolean)).toBe(true);
    now += SLOW_ATTEMPT_MS;
    expect(p.begin('a')).toBeNull(); // two in flight, one of them for 2 s: the slow limit
    hanging[0]!(10_000);
    // Its last attempt timed out: still slow, a slot per SLOW_DESTINATION_SLOTS.
    expect(beginMany(p, 'a', 3).filter(Boolean)).toHaveLength(SLOW_DESTINATION_SLOTS - 1);
  });

  it('a slow destination that answers quickly again is quick again', () => {
    const p = pace();
    p.begin('a')!(SLOW_ATTEMPT_MS);
    expect(beginMany(p, 'a', 3).filter(Boolean)).toHaveLength(SLOW_DESTINATION_SLOTS);
    const quick = pace();
    quick.begin('a')!(SLOW_ATTEMPT_MS);
    quick.begin('a')!(15);
    expect(beginMany(quick, 'a', 25).every(Boolean)).toBe(true);
  });
});
