import type { Filter } from '../read-store.port';
import { compareValues } from './compare-values';

export type BoundSide = 'upper' | 'lower';

const OPERATORS: Record<string, BoundSide | 'both'> = { $lt: 'upper', $lte: 'upper', $gt: 'lower', $gte: 'lower', $eq: 'both' };

const isPlainValue = (value: unknown): boolean => value === null || typeof value !== 'object' || value instanceof Date;

/**
 * A value v such that every document matching `filter` has `field <= v` (side 'upper') or
 * `field >= v` ('lower'), or undefined when the filter gives none. Sound, not tight: a walk
 * may start at v and skip everything before it, and mingo still tests every document after.
 * Understands what keyset pagination produces: comparisons and equalities on the field, under
 * `$and` (any bound holds) and `$or` (the loosest of the branches, only if all have one).
 */
export function boundOf(filter: Filter, field: string, side: BoundSide): unknown {
  let best: unknown = undefined;
  const tighten = (candidate: unknown) => {
    if (candidate === undefined) return;
    if (best === undefined || (side === 'upper' ? compareValues(candidate, best) < 0 : compareValues(candidate, best) > 0)) {
      best = candidate;
    }
  };
  for (const [key, condition] of Object.entries(filter)) {
    if (key === field) tighten(conditionBound(condition, side));
    else if (key === '$and' && Array.isArray(condition)) {
      for (const branch of condition) tighten(boundOf(branch as Filter, field, side));
    } else if (key === '$or' && Array.isArray(condition)) tighten(loosest(condition as Filter[], field, side));
  }
  return best;
}

function loosest(branches: Filter[], field: string, side: BoundSide): unknown {
  if (branches.length === 0) return undefined;
  let worst: unknown = undefined;
  for (const branch of branches) {
    const bound = boundOf(branch, field, side);
    if (bound === undefined) return undefined;
    if (worst === undefined || (side === 'upper' ? compareValues(bound, worst) > 0 : compareValues(bound, worst) < 0)) {
      worst = bound;
    }
  }
  return worst;
}

function conditionBound(condition: unknown, side: BoundSide): unknown {
  // Only scalars: `{ field: [..] }` and `{ field: null }` also match arrays and missing fields.
  if (isPlainValue(condition)) return condition === null || condition === undefined ? undefined : condition;
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return undefined;
  let best: unknown = undefined;
  for (const [op, value] of Object.entries(condition)) {
    const opSide = OPERATORS[op];
    if (!opSide || (opSide !== 'both' && opSide !== side) || !isPlainValue(value) || value === null) continue;
    if (best === undefined || (side === 'upper' ? compareValues(value, best) < 0 : compareValues(value, best) > 0)) best = value;
  }
  return best;
}
