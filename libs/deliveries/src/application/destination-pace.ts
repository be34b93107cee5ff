import { LRUCache } from 'lru-cache';

/** Attempts a destination whose last attempt timed out gets at once in one worker. */
export const TIMED_OUT_DESTINATION_SLOTS = 2;
/** How long a delivery with no slot for its destination waits before it asks again. */
export const NO_SLOT_PAUSE_MS = 1_000;
/** The same, for a destination whose attempts time out (it would not be answered sooner). */
export const TIMED_OUT_PAUSE_MS = 5_000;

interface Destination {
  inFlight: number;
  /** How its last attempt ended: null before any did. */
  lastTimedOut: boolean | null;
}

/** An attempt may start (`end` records how it ended), or waits `pauseMs` and asks again. */
export type SlotGrant = { end: (outcome: { timedOut: boolean } | null) => void } | { pauseMs: number };

/**
 * How many of a worker's delivery slots one destination may hold at once. An attempt to a
 * destination that does not answer takes the whole timeout, so such a destination would
 * otherwise hold every slot while other destinations' deliveries wait. One whose last attempt
 * timed out gets TIMED_OUT_DESTINATION_SLOTS; one not heard from yet, half the slots; the
 * others (answered in time, however slowly) as many as come. What may not start now waits and
 * keeps its place in its ticket's order.
 */
export class DestinationPace {
  private readonly destinations = new LRUCache<string, Destination>({ max: 10_000 });

  constructor(
    /** The worker's slots: deliveries it attempts at once. */
    private readonly slots: number,
  ) {}

  begin(destination: string): SlotGrant {
    let state = this.destinations.get(destination);
    if (!state) this.destinations.set(destination, (state = { inFlight: 0, lastTimedOut: null }));
    const half = Math.max(1, Math.floor(this.slots / 2));
    const limit = state.lastTimedOut === true ? Math.min(half, TIMED_OUT_DESTINATION_SLOTS) : state.lastTimedOut === false ? Number.POSITIVE_INFINITY : half;
    if (state.inFlight >= limit) return { pauseMs: state.lastTimedOut ? TIMED_OUT_PAUSE_MS : NO_SLOT_PAUSE_MS };
    state.inFlight++;
    const entry = state;
    return {
      end: (outcome) => {
        entry.inFlight--;
        if (outcome) entry.lastTimedOut = outcome.timedOut;
      },
    };
  }
}
