import { LRUCache } from 'lru-cache';

/** An attempt this long (or one still in flight this long) makes its destination slow. */
export const SLOW_ATTEMPT_MS = 2_000;
/** Attempts a slow destination gets at once in one worker. */
export const SLOW_DESTINATION_SLOTS = 2;

interface Destination {
  /** Start times of the attempts in flight. */
  inFlight: number[];
  /** How its last attempt went: null before any ended. */
  lastWasSlow: boolean | null;
}

/**
 * How many of a worker's delivery slots one destination may hold at once. An attempt can take
 * the whole timeout, so a destination that does not answer would otherwise hold every slot
 * while other workspaces' deliveries wait behind it. A destination whose last attempt was
 * quick gets as many as come; one not heard from yet, half the slots; a slow one (its last
 * attempt, or one in flight, took SLOW_ATTEMPT_MS or more) SLOW_DESTINATION_SLOTS. What it
 * may not start now is put off, keeping its place in its ticket's order.
 */
export class DestinationPace {
  private readonly destinations = new LRUCache<string, Destination>({ max: 10_000 });

  constructor(
    /** The worker's slots: deliveries it attempts at once. */
    private readonly slots: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts an attempt when the destination has a slot free: returns the call that ends it, else null. */
  begin(destination: string): ((durationMs: number) => void) | null {
    let state = this.destinations.get(destination);
    if (!state) this.destinations.set(destination, (state = { inFlight: [], lastWasSlow: null }));
    const started = this.now();
    if (state.inFlight.length >= this.slotsOf(state, started)) return null;
    state.inFlight.push(started);
    const entry = state;
    return (durationMs) => {
      entry.inFlight.splice(entry.inFlight.indexOf(started), 1);
      entry.lastWasSlow = durationMs >= SLOW_ATTEMPT_MS;
    };
  }

  private slotsOf(state: Destination, now: number): number {
    const half = Math.max(1, Math.floor(this.slots / 2));
    const stuck = state.inFlight.some((started) => now - started >= SLOW_ATTEMPT_MS);
    if (stuck || state.lastWasSlow === true) return Math.min(half, SLOW_DESTINATION_SLOTS);
    return state.lastWasSlow === false ? Number.POSITIVE_INFINITY : half;
  }
}
