/**
 * How deeply a request body may nest (the body itself is level 1). No schema of the API comes
 * close; the bound keeps every later walk of a body (validation, transformation, canonical JSON
 * for idempotency, event serialisation) far from the stack limit, whatever the client sends.
 */
export const MAX_JSON_DEPTH = 64;

export type JsonBodyProblem = { kind: 'too_deep' } | { kind: 'malformed_text'; path: string };

/**
 * The first problem of a parsed JSON body, in document order: nesting deeper than
 * MAX_JSON_DEPTH, or a string (key or value) that is not well-formed UTF-16 (its field path).
 * Walks with an explicit stack: the body never decides how deep this recurses.
 */
export function findJsonBodyProblem(body: unknown): JsonBodyProblem | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 1 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return { kind: 'malformed_text', path: path || 'body' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return { kind: 'too_deep' };
    const entries = Object.entries(value);
    // Pushed last to first, so they are visited first to last.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const childPath = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) {
        // A malformed key is reported where it stands in document order: as a child would be.
        stack.push({ value: key, path: childPath, depth: depth + 1 });
        continue;
      }
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}
