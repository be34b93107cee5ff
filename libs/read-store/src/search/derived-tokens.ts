import type { IndexSpec, Update } from '../read-store.port';

/** A token index the store derives from texts (IndexSpec.tokens). */
export interface DerivedTokens {
  /** The token field filters name (`search_tokens`). */
  readonly field: string;
  /** The top-level fields whose texts the tokens are the trigrams of. */
  readonly from: readonly string[];
}

/** The derived token index `spec` declares, checked; null for any other index. */
export function derivedTokens(spec: IndexSpec): DerivedTokens | null {
  if (spec.tokens === undefined) return null;
  const keys = Object.keys(spec.keys);
  const field = keys[0];
  const from = spec.tokens.from;
  if (keys.length !== 1 || spec.keys[field] !== 1 || spec.unique || spec.partialFilterExpression) {
    throw new TypeError(`A derived token index is one ascending field, neither unique nor partial: ${JSON.stringify(spec)}`);
  }
  if (field.includes('.') || field.startsWith('$')) throw new TypeError(`Not a top-level field: ${field}`);
  if (from.length === 0 || from.some((source) => source === '' || source.includes('.') || source.startsWith('$') || source === field)) {
    throw new TypeError(`A derived token index needs top-level source fields other than ${field}: ${JSON.stringify(from)}`);
  }
  return { field, from: [...from] };
}

/**
 * The values `update` gives the source fields of `derived` (undefined: `$unset`), or null when it
 * changes none of them. Throws when it would change one otherwise, or write the token field:
 * the store could then no longer tell the tokens without reading the document back.
 */
export function sourceChanges(update: Update, derived: DerivedTokens): Map<string, unknown> | null {
  let changes: Map<string, unknown> | null = null;
  for (const op in update) {
    const fields = update[op];
    for (const path in fields) {
      if (isPathOf(path, derived.field)) throw new TypeError(`${derived.field} is derived by the read store: an update cannot write it`);
      const source = derived.from.find((field) => isPathOf(path, field));
      if (source === undefined) continue;
      if (path !== source || (op !== '$set' && op !== '$unset')) {
        throw new TypeError(`${source} is a search source: an update may only $set or $unset it whole (${op} ${path})`);
      }
      (changes ??= new Map()).set(source, op === '$set' ? fields[path] : undefined);
    }
  }
  return changes;
}

/** Whether `path` is `field` or a path inside it. */
function isPathOf(path: string, field: string): boolean {
  return path === field || (path.startsWith(field) && path.charCodeAt(field.length) === 46);
}
