/**
 * Stored documents are frozen, all the way down. Reads then hand out the stored object itself:
 * a list query returns 20 documents without copying any, and a caller that tries to mutate one
 * gets a TypeError (strict mode) instead of silently corrupting the store. What is deeply
 * frozen already is immutable, so it is kept rather than copied (one instance for every
 * document holding it). Read models are JSON-shaped; a Date is copied but stays mutable
 * through its setters.
 *
 * How objects are copied and frozen matters to V8, hence to the store's memory:
 * - an object built by keyed stores turns slow (dictionary mode) once frozen with more than
 *   ~16 properties: ~1.5 KB for a ticket document instead of ~0.2 KB;
 * - a frozen spread copy gets a hidden class (map) of its own whenever documents' field types
 *   vary (null in one, a string in another): ~0.4 KB more per document;
 * - an Object.assign copy of a large object can come out in dictionary mode;
 * - a spread of a frozen object, and an object literal, are built along V8's shared map
 *   transitions: fast mode, and one frozen map for every document of the same keys.
 * So a document handed over by `put` is frozen in place (`adoptFrozen`: no copy, and the
 * literal's compact layout), a copy-on-write update spreads the frozen stored document
 * (fast-update.ts), and a copy of a caller's object spreads a frozen spread copy of it
 * (`frozenClone`). memory-read-collection.spec.ts checks the result.
 */
export function frozenClone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (isDeepFrozen(value)) return value;
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY_ARRAY as T;
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = frozenClone(value[i]);
    return Object.freeze(copy) as T;
  }
  if (value instanceof Date) return Object.freeze(new Date(value.getTime())) as T;
  const copy: Record<string, unknown> = { ...Object.freeze({ ...(value as Record<string, unknown>) }) };
  let fields = 0;
  let dropped = false;
  for (const key in copy) {
    fields++;
    const field = copy[key];
    // Mongo drops undefined fields on write; do the same so both adapters return the same shape.
    if (field === undefined) dropped = true;
    else if (field !== null && typeof field === 'object') copy[key] = frozenClone(field);
  }
  if (fields === 0) return EMPTY_OBJECT as T;
  return Object.freeze(dropped ? withoutUndefined(copy) : copy) as T;
}

/**
 * `doc` itself, frozen, for a store `doc` was handed to (ReadCollection.put): the values
 * nested in it are replaced by frozen copies (see frozenClone), the object is not copied.
 * Anything but a plain object with no undefined field is copied by frozenClone instead.
 * A value `previous` (the stored version `doc` replaces) holds too is kept as it is: the
 * store froze it already (a projection's evolve spreads the stored document).
 */
export function adoptFrozen<T extends object>(doc: T, previous?: T): T {
  if (isDeepFrozen(doc)) return doc;
  if (Object.isFrozen(doc) || Object.getPrototypeOf(doc) !== Object.prototype) return frozenClone(doc);
  const fields = doc as Record<string, unknown>;
  const kept = previous as Record<string, unknown> | undefined;
  for (const key in fields) {
    const field = fields[key];
    if (field === undefined) return frozenClone(doc);
    if (field !== null && typeof field === 'object' && (kept === undefined || kept[key] !== field)) fields[key] = frozenClone(field);
  }
  return Object.freeze(doc);
}

/** Frozen, with every object inside frozen, no Date (its setters ignore freezing) and no undefined field. */
function isDeepFrozen(value: object): boolean {
  if (!Object.isFrozen(value) || value instanceof Date) return false;
  if (Array.isArray(value)) {
    // Indexed, not for-in (which names every index as a string): token arrays are long.
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) return false;
      if (item !== null && typeof item === 'object' && !isDeepFrozen(item)) return false;
    }
    return true;
  }
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined) return false;
    if (field !== null && typeof field === 'object' && !isDeepFrozen(field)) return false;
  }
  return true;
}

/** Every empty array or object stored is this one (frozen, so sharing it is safe). */
const EMPTY_ARRAY: readonly never[] = Object.freeze([]);
const EMPTY_OBJECT: Readonly<Record<string, never>> = Object.freeze({});

/** `value` without its undefined fields, in fast mode (`delete` would leave it in dictionary mode). */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (value[key] !== undefined) kept[key] = value[key];
  // A spread copy: `kept`, built by keyed stores, may be in dictionary mode.
  return { ...kept };
}

/** A mutable deep copy of a frozen document, for applying update operators to. */
export function thawedClone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(thawedClone) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  // A spread copy, so it stays in fast mode for frozenClone to copy back.
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const field = copy[key];
    if (field !== null && typeof field === 'object') copy[key] = thawedClone(field);
  }
  return copy as T;
}
