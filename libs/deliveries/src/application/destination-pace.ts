import { LRUCache } from 'lru-cache';

/** Attempts a destination whose last attempt timed out (or one in flight this long) gets at once in one worker. */
export const TIMED_OUT_DESTINATION_SLOTS = 2;
/** An attempt in flight this long counts as timing out already: half the contract's 10 s. */
export const HANGING_AFTER_MS = 5_000;
/** How long a delivery with no slot for its destination waits before it asks again. */
export const NO_SLOT_PAUSE_MS = 1_000;
/** The same, for a destination whose attempts time out (it would not be answered sooner). */
export const TIMED_OUT_PAUSE_MS = 5_000;

interface Destination {
  /** Start times of the attempts in flight. */
  inFlight: number[];
  /** How its last answered or timed-out attempt ended: null before any did. */
  lastTimedOut: boolean | null;
}

/**
 * An attempt may start, or waits `pauseMs` and asks again. `end` records how it ended: an
 * answer (`timedOut: false`), a timeout, or null when it did not reach the destination (refused,
 * unreachable, not sent), which leaves the destination's standing as it was.
 */
export type SlotGrant = { end: (outcome: { timedOut: boolean } | null) => void } | { pauseMs: number };

/**
 * How many of a worker's delivery slots one destination may hold at once. An attempt to a
 * destination that does not answer takes the whole timeout, so such a destination would
 * otherwise hold every slot while other destinations' deliveries wait. One whose last attempt
 * timed out, or with an attempt in flight for HANGING_AFTER_MS, gets TIMED_OUT_DESTINATION_SLOTS;
 * one not heard from yet, half the slots; the others (answered in time) as many as come. What may not start now waits and
 * keeps its place in its ticket's order.
 */
export class DestinationPace {
  private readonly destinations = new LRUCache<string, Destination>({ max: 10_000 });

  constructor(
    /** The worker's slots: deliveries it attempts at once. */
    private readonly slots: number,
    private readonly now: () => number = Date.now,
  ) {}

  begin(destination: string): SlotGrant {
    let state = this.destinations.get(destination);
    if (!state) this.destinations.set(destination, (state = { inFlight: [], lastTimedOut: null }));
    const now = this.now();
    const hanging = state.lastTimedOut === true || state.inFlight.some((started) => now - started >= HANGING_AFTER_MS);
    const half = Math.max(1, Math.floor(this.slots / 2));
    const limit = hanging ? Math.min(half, TIMED_OUT_DESTINATION_SLOTS) : state.lastTimedOut === false ? Number.POSITIVE_INFINITY : half;
    if (state.inFlight.length >= limit) return { pauseMs: hanging ? TIMED_OUT_PAUSE_MS : NO_SLOT_PAUSE_MS };
    state.inFlight.push(now);
    const entry = state;
    return {
      end: (outcome) => {
        entry.inFlight.splice(entry.inFlight.indexOf(now), 1);
        if (outcome) entry.lastTimedOut = outcome.timedOut;
      },
    };
  }
}
