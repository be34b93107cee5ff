import { DestinationPace, HANGING_AFTER_MS, NO_SLOT_PAUSE_MS, TIMED_OUT_DESTINATION_SLOTS, TIMED_OUT_PAUSE_MS, type SlotGrant } from './destination-pace';

describe('DestinationPace', () => {
  const started = (grants: SlotGrant[]) => grants.filter((g) => 'end' in g) as Array<Extract<SlotGrant, { end: unknown }>>;
  const beginMany = (p: DestinationPace, destination: string, n: number) => Array.from({ length: n }, () => p.begin(destination));

  it('gives a destination not heard from yet half the slots, the others the rest', () => {
    const p = new DestinationPace(20);
    const grants = beginMany(p, 'a', 12);
    expect(started(grants)).toHaveLength(10);
    expect(grants[11]).toEqual({ pauseMs: NO_SLOT_PAUSE_MS });
    expect(started(beginMany(p, 'b', 10))).toHaveLength(10);
  });

  it('a destination that answered in time, however slowly, gets every slot that comes', () => {
    const p = new DestinationPace(20);
    started([p.begin('a')])[0].end({ timedOut: false });
    expect(started(beginMany(p, 'a', 30))).toHaveLength(30);
  });

  it('a destination whose last attempt timed out is held to a few slots, and asks again later; answered in time again, it is free again', () => {
    const p = new DestinationPace(20);
    const first = started(beginMany(p, 'a', 3));
    first[0].end({ timedOut: true });
    const grants = beginMany(p, 'a', 3);
    // Two still in flight: at the limit already.
    expect(grants).toEqual([{ pauseMs: TIMED_OUT_PAUSE_MS }, { pauseMs: TIMED_OUT_PAUSE_MS }, { pauseMs: TIMED_OUT_PAUSE_MS }]);
    first[1].end({ timedOut: true });
    expect(started(beginMany(p, 'a', 3))).toHaveLength(TIMED_OUT_DESTINATION_SLOTS - 1);
    first[2].end({ timedOut: false });
    expect(started(beginMany(p, 'a', 25))).toHaveLength(25);
  });

  it('an attempt that ended before reaching the destination leaves its standing as it was', () => {
    const p = new DestinationPace(4);
    started([p.begin('a')])[0].end({ timedOut: true });
    started([p.begin('a')])[0].end(null);
    expect(started(beginMany(p, 'a', 4))).toHaveLength(2);
  });

  it('a destination that answered before is held to a few slots as soon as an attempt has hung for HANGING_AFTER_MS', () => {
    let now = 1_000_000;
    const p = new DestinationPace(20, () => now);
    started([p.begin('a')])[0].end({ timedOut: false });
    const hanging = started(beginMany(p, 'a', 2));
    expect(hanging).toHaveLength(2);
    now += HANGING_AFTER_MS;
    expect(p.begin('a')).toEqual({ pauseMs: TIMED_OUT_PAUSE_MS });
    // One of them answers in time after all: the other still hangs, the limit holds.
    hanging[0].end({ timedOut: false });
    expect(started(beginMany(p, 'a', 3))).toHaveLength(1);
  });
});
