/**
 * One instance of the values many read-model documents repeat (the workspace id of every
 * ticket, the snapshot of a customer with many tickets), so an in-memory read model holds each
 * once instead of once per document: every event parses its own copy of them. Projections pass
 * what they are about to write through it. Sharing is safe because what it hands out is
 * immutable (strings, frozen records), and the in-memory store keeps a frozen value as it is
 * instead of copying it (see frozen-clone.ts).
 *
 * Bounded: past `limit` distinct keys it forgets everything and starts over (values already
 * written stay shared; later ones share again from then on).
 */
export class SharedValues {
  private readonly strings = new Map<string, string>();
  private readonly records = new Map<string, Readonly<Record<string, unknown>>>();

  constructor(private readonly limit = 100_000) {}

  /** `value`, or the equal string handed out before. */
  string<S extends string | null>(value: S): S {
    if (value === null) return value;
    const kept = this.strings.get(value);
    if (kept !== undefined) return kept as S;
    if (this.strings.size >= this.limit) this.strings.clear();
    this.strings.set(value, value);
    return value;
  }

  /**
   * A frozen record equal to `value` (a flat record: string, number, boolean or null fields),
   * the one handed out before under `key` if that one is still equal, else a frozen copy of
   * `value` (its strings shared too), kept under `key` from now on.
   */
  record<T extends { [K in keyof T]: string | number | boolean | null }>(key: string, value: T): Readonly<T> {
    const kept = this.records.get(key);
    if (kept !== undefined && sameFlatRecord(kept, value)) return kept as Readonly<T>;
    const copy: Record<string, unknown> = { ...value };
    for (const field in copy) {
      const v = copy[field];
      if (typeof v === 'string') copy[field] = this.string(v);
    }
    // Frozen after a second spread: see frozenClone, why that keeps one hidden class for all.
    const frozen = Object.freeze({ ...Object.freeze(copy) }) as Readonly<T>;
    if (this.records.size >= this.limit) this.records.clear();
    this.records.set(key, frozen);
    return frozen;
  }
}

function sameFlatRecord(a: Readonly<Record<string, unknown>>, b: object): boolean {
  let count = 0;
  for (const key in b) {
    if (a[key] !== (b as Record<string, unknown>)[key]) return false;
    count++;
  }
  for (const _key in a) if (--count < 0) return false;
  return count === 0;
}
