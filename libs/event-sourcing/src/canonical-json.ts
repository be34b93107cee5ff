/** Characters JSON.stringify would escape in a string (quote, backslash, controls, surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON with object keys sorted at every depth, so equal values always hash the same: byte for
 * byte what JSON.stringify gives for a copy with sorted keys. It hashes every event on the write
 * path, so it is built that way: JSON.stringify writes one flat string from a sorted copy, where
 * concatenating the pieces made a tree of strings that hashing then had to flatten (four times
 * the garbage). A copy cannot hold keys that are array indexes in sorted order (objects list
 * those first, in numeric order), so a value with one is written piece by piece instead.
 */
export function canonicalJson(value: unknown): string {
  const sorted = sortedCopy(value);
  return sorted === HAS_INDEX_KEY ? canonicalJsonByPieces(value) : (JSON.stringify(sorted) ?? 'null');
}

const HAS_INDEX_KEY = Symbol('has-index-key');
/** Keys an object keeps as array indexes: "0" and unsigned integers below 2^32 - 1 without leading zeros. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;
const isIndexKey = (key: string) => key.charCodeAt(0) <= 57 && INDEX_KEY.test(key) && Number(key) < 4_294_967_295;

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i]);
      if (item === HAS_INDEX_KEY) return item;
      items[i] = item;
    }
    return items;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (isIndexKey(key)) return HAS_INDEX_KEY;
    const item = record[key];
    if (item === undefined) continue;
    const sorted = sortedCopy(item);
    if (sorted === HAS_INDEX_KEY) return sorted;
    // An own "__proto__" (JSON.parse makes them) must stay a property, not become the prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: sorted, enumerable: true, writable: true, configurable: true });
    else copy[key] = sorted;
  }
  return copy;
}

/** The same JSON, concatenated piece by piece (any keys). */
function canonicalJsonByPieces(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'object':
      break;
    default:
      return JSON.stringify(value) ?? 'null';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJsonByPieces(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${canonicalJsonByPieces(key)}:${canonicalJsonByPieces(item)}`;
  }
  return `${out}}`;
}
