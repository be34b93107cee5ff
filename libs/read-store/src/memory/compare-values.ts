/**
 * MongoDB's sort order for the values read models hold, so the in-memory adapter returns rows
 * in the same order as the MongoDB adapter: by BSON type first (null/missing < numbers <
 * strings < objects < arrays < booleans < dates), then by value.
 */
function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 1;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    default:
      if (Array.isArray(value)) return 6;
      if (value instanceof Date) return 10;
      if (value instanceof RegExp) return 12;
      return 5;
  }
}

export function compareValues(a: unknown, b: unknown): number {
  // The common case (two ISO dates, two ids, two numbers) without ranking types.
  const ta = typeof a;
  if (ta === typeof b && (ta === 'string' || ta === 'number')) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
      return 0;
    case 2:
    case 4:
    case 9:
      // Strings compare by UTF-16 code unit here, by UTF-8 byte in MongoDB: they only differ
      // for astral characters against U+E000..U+FFFF, which sort keys (ISO dates, ids) never hold.
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 10:
      return (a as Date).getTime() - (b as Date).getTime();
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    default: {
      const sa = JSON.stringify(a);
      const sb = JSON.stringify(b);
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    }
  }
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * The value MongoDB sorts a document by when the field holds an array: the smallest element
 * for an ascending sort, the largest for a descending one (an empty array sorts before null).
 */
export function sortKeyValue(value: unknown, direction: 1 | -1): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return undefined;
  let best = value[0];
  for (let i = 1; i < value.length; i++) {
    const c = compareValues(value[i], best);
    if (direction === 1 ? c < 0 : c > 0) best = value[i];
  }
  return best;
}

/** Compares two key tuples under per-position directions. */
export function compareKeys(a: readonly unknown[], b: readonly unknown[], directions: readonly (1 | -1)[]): number {
  for (let i = 0; i < directions.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return directions[i] === 1 ? c : -c;
  }
  return 0;
}
