import { findJsonBodyProblem, MAX_JSON_DEPTH } from './json-body';

describe('findJsonBodyProblem', () => {
  const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

  it(`accepts a body ${MAX_JSON_DEPTH} levels deep and refuses one level more`, () => {
    expect(findJsonBodyProblem(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(findJsonBodyProblem(nested(MAX_JSON_DEPTH + 1))).toEqual({ kind: 'too_deep' });
    expect(findJsonBodyProblem({ a: { b: nested(MAX_JSON_DEPTH - 2) } })).toBeNull();
    expect(findJsonBodyProblem({ a: { b: nested(MAX_JSON_DEPTH - 1) } })).toEqual({ kind: 'too_deep' });
  });

  it('walks 100,000 levels without recursion (no RangeError)', () => {
    expect(findJsonBodyProblem(nested(100_000))).toEqual({ kind: 'too_deep' });
  });

  it('names the first malformed string in document order, keys included', () => {
    expect(findJsonBodyProblem({ a: 'ok', b: ['x', '\ud800'], c: '\udc00' })).toEqual({ kind: 'malformed_text', path: 'b.1' });
    expect(findJsonBodyProblem({ a: { '\ud800': 'x' }, b: '\ud800' })).toEqual({ kind: 'malformed_text', path: 'a.\ud800' });
    expect(findJsonBodyProblem('\ud800')).toEqual({ kind: 'malformed_text', path: 'body' });
    expect(findJsonBodyProblem({ emoji: '\ud83c\udf89', n: 1, t: true, z: null })).toBeNull();
  });
});
