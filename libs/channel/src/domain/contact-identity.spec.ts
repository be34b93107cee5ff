import type { DomainError } from '@ledgerdesk/shared';
import { assertIdentifierVerified, assertSessionIdentity, identifyNewContact } from './contact-identity';
import { identifierHash } from './identifier-hash';

const TOKEN = 'ldh_3kTQ9zV1bX7mN2pR8sW4yC6fH0jL5aDe';
const signed = (identifier: string) => ({ identifier, identifierHash: identifierHash(TOKEN, identifier) });
const inbox = { hmacToken: TOKEN, hmacMandatory: false };

const throwsCode = (run: () => unknown, code: string) => {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect((thrown as DomainError | undefined)?.code).toBe(code);
};

describe('identity of a new contact', () => {
  it('an identifier with a valid hash is a verified contact', () => {
    expect(identifyNewContact(signed('user_123'), inbox)).toEqual({ verified: true, identifier: 'user_123' });
  });
  it('an identifier with a missing, malformed or wrong hash is a 401', () => {
    throwsCode(() => identifyNewContact({ identifier: 'user_123' }, inbox), 'UNAUTHORIZED');
    throwsCode(() => identifyNewContact({ identifier: 'user_123', identifierHash: 'nope' }, inbox), 'UNAUTHORIZED');
    throwsCode(() => identifyNewContact({ identifier: 'user_123', identifierHash: signed('user_124').identifierHash }, inbox), 'UNAUTHORIZED');
    // An inbox without a token verifies nothing.
    throwsCode(() => identifyNewContact(signed('user_123'), { hmacToken: null, hmacMandatory: false }), 'UNAUTHORIZED');
  });
  it('no identifier is an anonymous contact, unless the inbox makes identity mandatory (401)', () => {
    expect(identifyNewContact({}, inbox)).toEqual({ verified: false });
    expect(identifyNewContact({ identifierHash: 'ignored without identifier' }, inbox)).toEqual({ verified: false });
    throwsCode(() => identifyNewContact({}, { ...inbox, hmacMandatory: true }), 'UNAUTHORIZED');
    expect(identifyNewContact(signed('user_1'), { ...inbox, hmacMandatory: true })).toEqual({ verified: true, identifier: 'user_1' });
  });
  it('a blank or too long identifier is a validation error, before any hash is checked', () => {
    throwsCode(() => identifyNewContact(signed(' '), inbox), 'VALIDATION');
    throwsCode(() => identifyNewContact(signed('x'.repeat(256)), inbox), 'VALIDATION');
  });
});

describe('identity re-asserted by GET/PATCH of a session', () => {
  const verified = { hmacVerified: true, customerIdentifier: 'user_123' };
  it('nothing asserted: nothing to check', () => {
    expect(() => assertSessionIdentity({}, verified, TOKEN)).not.toThrow();
    expect(() => assertSessionIdentity({}, { hmacVerified: false, customerIdentifier: null }, TOKEN)).not.toThrow();
  });
  it('the session’s own identifier with a valid hash passes', () => {
    expect(() => assertSessionIdentity(signed('user_123'), verified, TOKEN)).not.toThrow();
  });
  it('another identifier (even validly signed), a wrong hash, or any identifier on an anonymous session is a 401', () => {
    throwsCode(() => assertSessionIdentity(signed('user_999'), verified, TOKEN), 'UNAUTHORIZED');
    throwsCode(() => assertSessionIdentity({ identifier: 'user_123', identifierHash: '0'.repeat(64) }, verified, TOKEN), 'UNAUTHORIZED');
    throwsCode(() => assertSessionIdentity({ identifier: 'user_123' }, verified, TOKEN), 'UNAUTHORIZED');
    throwsCode(() => assertSessionIdentity(signed('user_123'), { hmacVerified: false, customerIdentifier: 'user_123' }, TOKEN), 'UNAUTHORIZED');
    throwsCode(() => assertSessionIdentity(signed('user_123'), verified, null), 'UNAUTHORIZED');
  });
});

describe('identity checked before the session is looked up', () => {
  it('nothing asserted, or an identifier with a valid hash, passes whatever the session', () => {
    expect(() => assertIdentifierVerified({}, TOKEN)).not.toThrow();
    expect(() => assertIdentifierVerified(signed('user_123'), TOKEN)).not.toThrow();
  });
  it('a missing or wrong hash, or an inbox without a token, is a 401; a blank identifier a validation error', () => {
    throwsCode(() => assertIdentifierVerified({ identifier: 'user_123' }, TOKEN), 'UNAUTHORIZED');
    throwsCode(() => assertIdentifierVerified({ identifier: 'user_123', identifierHash: signed('user_124').identifierHash }, TOKEN), 'UNAUTHORIZED');
    throwsCode(() => assertIdentifierVerified(signed('user_123'), null), 'UNAUTHORIZED');
    throwsCode(() => assertIdentifierVerified(signed(' '), TOKEN), 'VALIDATION');
  });
});
