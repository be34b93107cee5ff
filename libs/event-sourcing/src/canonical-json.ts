/** Characters JSON.stringify would escape in a string (quote, backslash, controls, surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON with object keys sorted at every depth, so equal values always hash the same. Byte for
 * byte what JSON.stringify gives for a copy with sorted keys; hand-rolled because it hashes
 * every event on the write path (strings that need no escaping skip JSON.stringify).
 */
export function canonicalJson(value: unknown): string {
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
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${canonicalJson(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}
