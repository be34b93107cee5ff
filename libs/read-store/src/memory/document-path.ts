/** Reads a dotted path (`customer.email`) from a plain document; `undefined` when absent. */
export function readPath(doc: unknown, path: string): unknown {
  if (!path.includes('.')) {
    return doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)[path] : undefined;
  }
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
