/** Characters JSON.stringify would escape in a string (quote, backslash, controls, surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON with object keys sorted at every depth, so equal values always hash the same: byte for
 * byte what JSON.stringify gives for a copy with sorted keys. It hashes every event on the write
 * path, so JSON.stringify writes it from a sorted copy in one flat string (concatenated pieces
 * make a tree of strings that hashing must flatten). What a copy cannot reproduce is written
 * piece by piece instead: keys that are array indexes (objects list those first, in numeric
 * order), and nesting deep enough to exhaust the stack twice over.
 */
export function canonicalJson(value: unknown): string {
  const sorted = sortedCopy(value, 0);
  return sorted === BY_PIECES ? canonicalJsonByPieces(value) : (JSON.stringify(sorted) ?? 'null');
}

const BY_PIECES = Symbol('by-pieces');
const MAX_COPY_DEPTH = 512;
/** Keys an object keeps as array indexes: "0" and unsigned integers below 2^32 - 1 without leading zeros. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;
const isIndexKey = (key: string) => key.charCodeAt(0) <= 57 && INDEX_KEY.test(key) && Number(key) < 4_294_967_295;

function sortedCopy(value: unknown, depth: number): unknown {
  // As the pieces write them: null (JSON.stringify would drop the member or call a toJSON).
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_COPY_DEPTH) return BY_PIECES;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i], depth + 1);
      if (item === BY_PIECES) return item;
      items[i] = item;
    }
    return items;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (isIndexKey(key)) return BY_PIECES;
    const item = record[key];
    if (item === undefined) continue;
    const sorted = sortedCopy(item, depth + 1);
    if (sorted === BY_PIECES) return sorted;
    // An own "__proto__" (JSON.parse makes them) must stay a member, not become the prototype.
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
