import { Query } from 'mingo';
import type { Filter } from '../read-store.port';

/**
 * A direct matcher for the filters projections and list queries actually write (equalities,
 * `$eq/$ne/$in/$nin/$all/$exists`, comparisons on strings and numbers, `$regex`, `$and/$or/$nor`),
 * so the common path does not build a mingo Query (whose construction dominated the profile).
 * Anything else, and any document on which the direct answer would need MongoDB's
 * array-traversal rules (an array met in the middle of a dotted path, comparisons or null
 * against arrays), is decided by mingo, built lazily once per compiled filter.
 * `memory-read-collection.spec.ts` compares both on generated filters.
 */
export type DocumentTest = (doc: object) => boolean;

const FALSE = 0;
const TRUE = 1;
const UNSURE = 2;
type Tri = 0 | 1 | 2;
type Matcher = (doc: object) => Tri;
type ValueMatcher = (value: unknown) => Tri;

/** A test for `filter`, equal to `new Query(filter).test`. */
export function compileFilter(filter: Filter): DocumentTest {
  const direct = compileDocument(filter);
  let query: Query | null = null;
  const slow = (doc: object): boolean => (query ??= new Query(filter)).test(doc as Record<string, unknown>);
  if (!direct) return slow;
  return (doc) => {
    const r = direct(doc);
    return r === UNSURE ? slow(doc) : r === TRUE;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);
}

function compileDocument(filter: unknown): Matcher | null {
  if (!isPlainObject(filter)) return null;
  const parts: Matcher[] = [];
  for (const key of Object.keys(filter)) {
    const condition = filter[key];
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(condition) || condition.length === 0) return null;
      const branches: Matcher[] = [];
      for (const branch of condition) {
        const m = compileDocument(branch);
        if (!m) return null;
        branches.push(m);
      }
      parts.push(key === '$and' ? all(branches) : key === '$or' ? any(branches) : not(any(branches)));
      continue;
    }
    if (key === '' || key.startsWith('$')) return null;
    const segments = key.split('.');
    if (segments.some((s) => s === '' || s.startsWith('$') || /^\d+$/.test(s))) return null;
    const test = compileCondition(condition);
    if (!test) return null;
    parts.push(fieldMatcher(segments, test));
  }
  return all(parts);
}

function fieldMatcher(segments: string[], test: ValueMatcher): Matcher {
  if (segments.length === 1) {
    const field = segments[0];
    return (doc) => test((doc as Record<string, unknown>)[field]);
  }
  return (doc) => {
    let current: unknown = doc;
    for (let i = 0; i < segments.length; i++) {
      if (current === null || current === undefined) return test(undefined);
      if (typeof current !== 'object') return test(undefined);
      if (Array.isArray(current)) return UNSURE;
      current = (current as Record<string, unknown>)[segments[i]];
    }
    return test(current);
  };
}

function all(parts: Matcher[]): Matcher {
  if (parts.length === 1) return parts[0];
  return (doc) => {
    let result: Tri = TRUE;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i](doc);
      if (r === FALSE) return FALSE;
      if (r === UNSURE) result = UNSURE;
    }
    return result;
  };
}

function any(parts: Matcher[]): Matcher {
  return (doc) => {
    let result: Tri = FALSE;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i](doc);
      if (r === TRUE) return TRUE;
      if (r === UNSURE) result = UNSURE;
    }
    return result;
  };
}

function not(m: Matcher): Matcher {
  return (doc) => {
    const r = m(doc);
    return r === UNSURE ? UNSURE : r === TRUE ? FALSE : TRUE;
  };
}

function notValue(m: ValueMatcher): ValueMatcher {
  return (value) => {
    const r = m(value);
    return r === UNSURE ? UNSURE : r === TRUE ? FALSE : TRUE;
  };
}

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));

function equals(expected: unknown): ValueMatcher | null {
  if (expected === null) {
    return (value) => (value === null || value === undefined ? TRUE : Array.isArray(value) ? UNSURE : FALSE);
  }
  if (!isScalar(expected)) return null;
  return (value) => (value === expected ? TRUE : Array.isArray(value) ? (value.includes(expected) ? TRUE : FALSE) : FALSE);
}

function compileCondition(condition: unknown): ValueMatcher | null {
  if (condition instanceof RegExp) return regexMatcher(condition);
  if (!isPlainObject(condition)) return equals(condition);
  const keys = Object.keys(condition);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return null;
  const parts: ValueMatcher[] = [];
  for (const op of keys) {
    const arg = condition[op];
    let m: ValueMatcher | null = null;
    switch (op) {
      case '$eq':
        m = equals(arg);
        break;
      case '$ne': {
        const eq = equals(arg);
        m = eq && notValue(eq);
        break;
      }
      case '$in':
      case '$nin': {
        if (!Array.isArray(arg)) return null;
        const options: ValueMatcher[] = [];
        for (const option of arg) {
          const eq = option instanceof RegExp ? regexMatcher(option) : equals(option);
          if (!eq) return null;
          options.push(eq);
        }
        const some: ValueMatcher = (value) => {
          let result: Tri = FALSE;
          for (let i = 0; i < options.length; i++) {
            const r = options[i](value);
            if (r === TRUE) return TRUE;
            if (r === UNSURE) result = UNSURE;
          }
          return result;
        };
        m = op === '$in' ? some : notValue(some);
        break;
      }
      case '$all': {
        // Every value, as equalities (MongoDB reads `$all: [a, b]` as `a` and `b`); `$all: []`
        // matches nothing there, left to mingo.
        if (!Array.isArray(arg) || arg.length === 0) return null;
        const each: ValueMatcher[] = [];
        for (const wanted of arg) {
          const eq = equals(wanted);
          if (!eq) return null;
          each.push(eq);
        }
        m = (value) => {
          // On a field that is not an array, mingo and MongoDB disagree: mingo decides.
          if (!Array.isArray(value)) return UNSURE;
          let result: Tri = TRUE;
          for (let i = 0; i < each.length; i++) {
            const r = each[i](value);
            if (r === FALSE) return FALSE;
            if (r === UNSURE) result = UNSURE;
          }
          return result;
        };
        break;
      }
      case '$exists':
        if (typeof arg !== 'boolean') return null;
        m = (value) => ((value !== undefined) === arg ? TRUE : FALSE);
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        m = comparison(op, arg);
        break;
      case '$regex': {
        const options = condition.$options;
        if (options !== undefined && (typeof options !== 'string' || !/^[ims]*$/.test(options))) return null;
        if (typeof arg === 'string') {
          let re: RegExp;
          try {
            re = new RegExp(arg, options ?? '');
          } catch {
            return null;
          }
          m = regexMatcher(re);
        } else if (arg instanceof RegExp && options === undefined) m = regexMatcher(arg);
        break;
      }
      case '$options':
        if (!('$regex' in condition)) return null;
        continue;
      default:
        return null;
    }
    if (!m) return null;
    parts.push(m);
  }
  if (parts.length === 1) return parts[0];
  return (value) => {
    let result: Tri = TRUE;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i](value);
      if (r === FALSE) return FALSE;
      if (r === UNSURE) result = UNSURE;
    }
    return result;
  };
}

function regexMatcher(re: RegExp): ValueMatcher | null {
  if (re.global || re.sticky) return null;
  return (value) => (typeof value === 'string' ? (re.test(value) ? TRUE : FALSE) : value !== null && typeof value === 'object' ? UNSURE : FALSE);
}

function comparison(op: '$gt' | '$gte' | '$lt' | '$lte', bound: unknown): ValueMatcher | null {
  const kind = typeof bound;
  if (!(kind === 'string' || (kind === 'number' && !Number.isNaN(bound)))) return null;
  const b = bound as string | number;
  const cmp =
    op === '$gt'
      ? (v: string | number) => v > b
      : op === '$gte'
        ? (v: string | number) => v >= b
        : op === '$lt'
          ? (v: string | number) => v < b
          : (v: string | number) => v <= b;
  return (value) => {
    if (typeof value === kind) return cmp(value as string | number) ? TRUE : FALSE;
    if (value === undefined || value === null || typeof value === 'boolean') return FALSE;
    if (typeof value === 'string' || typeof value === 'number') return FALSE;
    return UNSURE;
  };
}
