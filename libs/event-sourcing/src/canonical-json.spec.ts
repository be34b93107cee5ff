import { canonicalJson } from './canonical-json';

/**
 * The definition (and the first implementation, whose hashes are in existing logs): JSON.stringify
 * for leaves, object keys sorted by code units, undefined members dropped, undefined items null.
 */
const reference = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members, as the reference does', () => {
    const value = { b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'é' }, u: undefined, arr: [undefined, true, -0.5] };
    expect(canonicalJson(value)).toBe('{"a":{"c":"é","d":[3,{"x":null,"z":1}]},"arr":[null,true,-0.5],"b":1}');
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it('escapes strings exactly as JSON.stringify does: quotes, backslashes, controls, lone surrogates', () => {
    for (const text of [
      'plain',
      'say "hi"',
      'back\\slash',
      'tab\tnew\nline\u0000',
      'line\u2028sep',
      '\ud83d\ude00 emoji',
      'lone \ud800',
      'lone \udc00 low',
      '',
    ]) {
      expect(canonicalJson(text)).toBe(JSON.stringify(text));
      expect(canonicalJson({ [text]: text })).toBe(reference({ [text]: text }));
    }
  });

  it('orders keys by UTF-16 code units, as the hash chain always has', () => {
    expect(canonicalJson({ é: 1, Z: 2, a: 3, _: 4, '10': 5, '9': 6 })).toBe('{"10":5,"9":6,"Z":2,"_":4,"a":3,"é":1}');
  });

  it('keeps an own "__proto__" key a member, and array-index keys in code-unit order, at any depth', () => {
    const withProto = JSON.parse('{"b":{"__proto__":{"x":1},"a":2},"4294967295":0,"01":1}');
    expect(canonicalJson(withProto)).toBe('{"01":1,"4294967295":0,"b":{"__proto__":{"x":1},"a":2}}');
    const withIndexes = JSON.parse('{"b":{"__proto__":{"x":1}},"list":[{"10":1,"9":2,"a":3}]}');
    expect(canonicalJson(withIndexes)).toBe('{"b":{"__proto__":{"x":1}},"list":[{"10":1,"9":2,"a":3}]}');
    for (const value of [withProto, withIndexes]) expect(canonicalJson(value)).toBe(reference(value));
    expect(canonicalJson({ k: [{ '0': 'zero', '': 'empty' }] })).toBe('{"k":[{"":"empty","0":"zero"}]}');
  });

  it('writes function and symbol members as null, as the reference does, and calls no toJSON', () => {
    const value = { a: 1, f: () => 2, s: Symbol('s'), list: [() => 3], toJSON: () => 'replaced' };
    expect(canonicalJson(value)).toBe('{"a":1,"f":null,"list":[null],"s":null,"toJSON":null}');
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it('writes values nested thousands deep, as it always could', () => {
    let objects: unknown = 'leaf';
    let objectsJson = '"leaf"';
    for (let i = 0; i < 3_000; i++) {
      objects = { [`k${i % 3}`]: objects, z: i };
      objectsJson = `{"k${i % 3}":${objectsJson},"z":${i}}`;
    }
    const arrays = JSON.parse(`${'['.repeat(3_000)}1${']'.repeat(3_000)}`);
    expect(canonicalJson(objects)).toBe(objectsJson);
    expect(canonicalJson(arrays)).toBe(JSON.stringify(arrays));
  });

  it('matches the reference on random nested values', () => {
    // Seeded, so a failure can be replayed.
    let seed = 20_261_204;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const randomValue = (depth: number): unknown => {
      const kind = depth > 3 ? pick(['string', 'number', 'bool', 'null']) : pick(['string', 'number', 'bool', 'null', 'array', 'object', 'undefined']);
      switch (kind) {
        case 'string':
          return Array.from({ length: Math.floor(random() * 6) }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
        case 'number':
          return pick([0, -1, 1.5, 1e21, Number.NaN, random()]);
        case 'bool':
          return random() < 0.5;
        case 'null':
          return null;
        case 'undefined':
          return undefined;
        case 'array':
          return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
        default:
          // Keys as JSON.parse may give them: any text, an own "__proto__", now and then an array index.
          return Object.fromEntries(
            Array.from({ length: Math.floor(random() * 5) }, () => [
              random() < 0.9 ? String(randomValue(4)) : pick(['__proto__', '0', '7', '10', '01', '4294967294', '4294967295', '-1']),
              randomValue(depth + 1),
            ]),
          );
      }
    };
    for (let i = 0; i < 3_000; i++) {
      const value = randomValue(0);
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });
});
