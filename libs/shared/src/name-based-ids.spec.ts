import { v5 } from 'uuid';
import { nameBasedIds } from './name-based-ids';

describe('nameBasedIds', () => {
  it('gives the UUIDv5 of the name in the namespace (RFC 4122 example)', () => {
    const dns = nameBasedIds('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(dns('www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the ids the library gives for the same strings, non-ASCII names included (ids already stored stay the same)', () => {
    const namespace = 'a3c1f0d2-7b64-4e1a-9c55-0f2e8d7b6a13';
    const ids = nameBasedIds(namespace);
    const names = ['', 'ws:alice@example.com', 'ws:Ünïcödé tag', 'ws:日本語', 'ws:emoji 😀', 'x'.repeat(500)];
    // Any code point but the surrogates' range, so one to four UTF-8 bytes each.
    const codePoint = () => {
      const point = Math.floor(Math.random() * (0x110000 - 0x800));
      return point < 0xd800 ? point : point + 0x800;
    };
    for (let i = 0; i < 300; i++) names.push(Array.from({ length: i % 17 }, () => String.fromCodePoint(codePoint())).join(''));
    for (const name of names) expect(ids(name)).toBe(v5(name, namespace));
  });

  it('refuses a name with a lone surrogate, as the library does, instead of an id shared with U+FFFD', () => {
    const ids = nameBasedIds('a3c1f0d2-7b64-4e1a-9c55-0f2e8d7b6a13');
    for (const name of ['ws:a\ud800b', 'ws:\udc00', 'ws:end\ud83d']) {
      expect(() => v5(name, 'a3c1f0d2-7b64-4e1a-9c55-0f2e8d7b6a13')).toThrow();
      expect(() => ids(name)).toThrow(TypeError);
    }
    expect(ids('ws:\ufffd')).toBe(v5('ws:\ufffd', 'a3c1f0d2-7b64-4e1a-9c55-0f2e8d7b6a13'));
  });
});
