import type { Update } from '../read-store.port';
import { frozenClone } from './frozen-clone';

const OPERATORS = new Set(['$set', '$unset', '$inc', '$push', '$pull', '$addToSet']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));

/**
 * Applies the simple forms of `$set/$unset/$inc/$push/$pull/$addToSet` (plain field paths,
 * scalar `$pull/$addToSet` values, no `$each`-style modifiers) to a frozen stored document
 * by copy-on-write: the result shares every value the update does not touch with `doc` (they
 * are frozen, so sharing is safe); everything below the top level is frozen, the top-level
 * object is left for the caller to finish (`_position`) and freeze. Returns undefined, having changed
 * nothing, for anything it does not handle: the caller then applies the update with mingo.
 */
export function applySimpleUpdate<T extends object>(doc: T, update: Update): T | undefined {
  const paths: string[] = [];
  for (const op of Object.keys(update)) {
    if (!OPERATORS.has(op)) return undefined;
    const spec = update[op];
    if (!isPlainObject(spec)) return undefined;
    for (const path of Object.keys(spec)) {
      if (path === '_id' || path.startsWith('_id.')) return undefined;
      for (const segment of path.split('.')) {
        if (segment === '' || segment.startsWith('$') || /^\d+$/.test(segment)) return undefined;
      }
      paths.push(path);
    }
  }
  // MongoDB rejects two operators on the same path or on a path and its prefix.
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i];
      const b = paths[j];
      if (a === b || a.startsWith(b + '.') || b.startsWith(a + '.')) return undefined;
    }
  }

  const root: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  const fresh: object[] = [root];
  for (const op of Object.keys(update)) {
    const spec = update[op];
    for (const path of Object.keys(spec)) {
      const arg = spec[path];
      const segments = path.split('.');
      let parent: Record<string, unknown> | null = root;
      for (let i = 0; i < segments.length - 1; i++) {
        const segment = segments[i];
        const child: unknown = parent[segment];
        if (child === undefined) {
          if (op === '$unset' || op === '$pull') {
            parent = null;
            break;
          }
          const created = {};
          fresh.push(created);
          parent[segment] = created;
          parent = created as Record<string, unknown>;
        } else if (!isPlainObject(child)) {
          return undefined;
        } else if (Object.isFrozen(child)) {
          const copy = { ...child };
          fresh.push(copy);
          parent[segment] = copy;
          parent = copy;
        } else {
          parent = child;
        }
      }
      if (parent === null) continue;
      const field = segments[segments.length - 1];
      const current = parent[field];
      switch (op) {
        case '$set':
          if (arg === undefined) delete parent[field];
          else parent[field] = frozenClone(arg);
          break;
        case '$unset':
          delete parent[field];
          break;
        case '$inc':
          if (typeof arg !== 'number' || Number.isNaN(arg)) return undefined;
          if (current === undefined) parent[field] = arg;
          else if (typeof current === 'number') parent[field] = current + arg;
          else return undefined;
          break;
        case '$push': {
          if (arg === undefined || (isPlainObject(arg) && Object.keys(arg).some((k) => k.startsWith('$')))) return undefined;
          if (current === undefined) parent[field] = Object.freeze([frozenClone(arg)]);
          else if (Array.isArray(current)) parent[field] = Object.freeze([...current, frozenClone(arg)]);
          else return undefined;
          break;
        }
        case '$addToSet':
          if (!isScalar(arg)) return undefined;
          if (current === undefined) parent[field] = Object.freeze([arg]);
          else if (Array.isArray(current)) {
            if (!current.includes(arg)) parent[field] = Object.freeze([...current, arg]);
          } else return undefined;
          break;
        case '$pull':
          if (!isScalar(arg)) return undefined;
          if (current === undefined) break;
          if (!Array.isArray(current)) return undefined;
          if (current.includes(arg)) parent[field] = Object.freeze(current.filter((e) => e !== arg));
          break;
      }
    }
  }
  for (let i = 1; i < fresh.length; i++) Object.freeze(fresh[i]);
  return root as T;
}
