/**
 * Stored documents are deep-cloned and frozen once, on write. Reads then hand out the stored
 * object itself: a list query returns 20 documents without copying any, and a caller that
 * tries to mutate one gets a TypeError (strict mode) instead of silently corrupting the store.
 * Writes must copy anyway (the caller keeps its object), so freezing adds little to them.
 *
 * Read models are JSON-shaped; a Date is copied but stays mutable through its setters.
 */
export function frozenClone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = frozenClone(value[i]);
    return Object.freeze(copy) as T;
  }
  if (value instanceof Date) return Object.freeze(new Date(value.getTime())) as T;
  // Copied by spread, not key by key: V8 turns an object built by keyed stores into a slow
  // (dictionary-mode) object when it is frozen with more than ~16 properties, ~1.5 KB for a
  // ticket document instead of ~0.2 KB. A spread copy stays in fast mode when frozen.
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  let dropped = false;
  for (const key of Object.keys(copy)) {
    const field = copy[key];
    // Mongo drops undefined fields on write; do the same so both adapters return the same shape.
    if (field === undefined) dropped = true;
    else if (field !== null && typeof field === 'object') copy[key] = frozenClone(field);
  }
  return Object.freeze(dropped ? withoutUndefined(copy) : copy) as T;
}

/** `value` without its undefined fields, in fast mode (see frozenClone; `delete` would not be). */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (value[key] !== undefined) kept[key] = value[key];
  return { ...kept };
}

/**
 * Freezes a document built by copy-on-write (fast-update.ts), first re-copying it by spread if
 * fields were removed (`delete` leaves it in slow dictionary mode, see frozenClone).
 */
export function freezeDocument<T extends object>(value: T, removedFields: boolean): T {
  return Object.freeze(removedFields ? ({ ...value } as T) : value);
}

/** A mutable deep copy of a frozen document, for applying update operators to. */
export function thawedClone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(thawedClone) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = thawedClone((value as Record<string, unknown>)[key]);
  return copy as T;
}
