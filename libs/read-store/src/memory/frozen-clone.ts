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
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    // Mongo drops undefined fields on write; do the same so both adapters return the same shape.
    if (field !== undefined) copy[key] = frozenClone(field);
  }
  return Object.freeze(copy) as T;
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
