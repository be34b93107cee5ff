import type { Update } from '../read-store.port';
import { frozenClone } from './frozen-clone';

const OPERATORS = new Set(['$set', '$unset', '$inc', '$push', '$pull', '$addToSet']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));

/** Field path -> its segments, or null for a path left to mingo. Projections write a handful
 *  of distinct paths, so splitting and checking each once saves most of the per-update work. */
const segmentCache = new Map<string, readonly string[] | null>();
const SEGMENT_CACHE_LIMIT = 1024;

function segmentsOf(path: string): readonly string[] | null {
  let segments = segmentCache.get(path);
  if (segments === undefined) {
    segments = splitPath(path);
    if (segmentCache.size >= SEGMENT_CACHE_LIMIT) segmentCache.clear();
    segmentCache.set(path, segments);
  }
  return segments;
}

function splitPath(path: string): readonly string[] | null {
  if (path === '_id' || path.startsWith('_id.')) return null;
  const segments = path.split('.');
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('$') || /^\d+$/.test(segment)) return null;
  }
  return Object.freeze(segments);
}

/** Whether two paths name the same field or one lies inside the other (`a` and `a.b`). */
function overlaps(a: string, b: string): boolean {
  if (a.length === b.length) return a === b;
  const short = a.length < b.length ? a : b;
  const long = a.length < b.length ? b : a;
  return long.charCodeAt(short.length) === 46 /* . */ && long.startsWith(short);
}

/**
 * Applies the simple forms of `$set/$unset/$inc/$push/$pull/$addToSet` (plain field paths,
 * scalar `$pull/$addToSet` values, no `$each`-style modifiers) to a frozen stored document
 * by copy-on-write: the result shares every value the update does not touch with `doc` (they
 * are frozen, so sharing is safe); everything below the top level is frozen, the top-level
 * object (in fast mode) is left for the caller to finish (`_position`) and freeze. Returns undefined, having changed
 * nothing, for anything it does not handle: the caller then applies the update with mingo.
 */
export function applySimpleUpdate<T extends object>(doc: T, update: Update): T | undefined {
  const ops: string[] = [];
  const paths: string[] = [];
  for (const op of Object.keys(update)) {
    if (!OPERATORS.has(op)) return undefined;
    const spec = update[op];
    if (!isPlainObject(spec)) return undefined;
    for (const path of Object.keys(spec)) {
      if (segmentsOf(path) === null) return undefined;
      // MongoDB rejects two operators on the same path or on a path and its prefix.
      for (let i = 0; i < paths.length; i++) if (overlaps(paths[i], path)) return undefined;
      ops.push(op);
      paths.push(path);
    }
  }

  // A spread of the frozen stored document: fast mode, and a map shared once frozen (see frozenClone).
  const root: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  let fresh: object[] | null = null;
  // A top-level field added or removed: `root` is then copied again at the end, see there.
  let reshaped = false;
  for (let p = 0; p < paths.length; p++) {
    const op = ops[p];
    const path = paths[p];
    const arg = update[op][path];
    const segments = segmentsOf(path)!;
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
        (fresh ??= []).push(created);
        if (parent === root) reshaped = true;
        parent[segment] = created;
        parent = created as Record<string, unknown>;
      } else if (!isPlainObject(child)) {
        return undefined;
      } else if (Object.isFrozen(child)) {
        const copy = { ...child };
        (fresh ??= []).push(copy);
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
    if (parent === root && (current === undefined) !== (root[field] === undefined)) reshaped = true;
  }
  if (fresh) for (const object of fresh) Object.freeze(object);
  // Keyed adds and deletes can leave `root` in dictionary mode; a copy built by spreading a
  // frozen copy is in fast mode with a shared map (see frozen-clone.ts).
  return (reshaped ? { ...Object.freeze({ ...root }) } : root) as T;
}
