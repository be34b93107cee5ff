import { identifierHash, verifyIdentifierHash } from './identifier-hash';

// API.md section 9's test vector.
const TOKEN = 'ldh_3kTQ9zV1bX7mN2pR8sW4yC6fH0jL5aDe';
const HASH = '9705decac95c8f3dcdaf116ce2905927d79fe6a1d00d2cfee4b29d132f677ace';

describe('identifier hash', () => {
  it('is ChannelX’s formula: the test vector of section 9', () => {
    expect(identifierHash(TOKEN, 'user_123')).toBe(HASH);
    expect(verifyIdentifierHash(TOKEN, 'user_123', HASH)).toBe(true);
  });
  it('is lowercase hex: the same digits in uppercase are a malformed hash', () => {
    expect(verifyIdentifierHash(TOKEN, 'user_123', HASH.toUpperCase())).toBe(false);
  });
  it('refuses another identifier, another token, and a missing, malformed or truncated hash, without throwing', () => {
    expect(verifyIdentifierHash(TOKEN, 'user_124', HASH)).toBe(false);
    expect(verifyIdentifierHash(`${TOKEN}x`, 'user_123', HASH)).toBe(false);
    for (const bad of [undefined, null, '', 'zz', HASH.slice(0, 63), `${HASH}0`, `${HASH.slice(0, 63)}g`, 42, { hash: HASH }]) {
      expect(verifyIdentifierHash(TOKEN, 'user_123', bad)).toBe(false);
    }
  });
  it('hashes UTF-8 identifiers', () => {
    expect(verifyIdentifierHash(TOKEN, 'zoë', identifierHash(TOKEN, 'zoë'))).toBe(true);
    expect(verifyIdentifierHash(TOKEN, 'zoe', identifierHash(TOKEN, 'zoë'))).toBe(false);
  });
});
