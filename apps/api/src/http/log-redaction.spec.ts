import { redactHeaders, redactUrl, requestForLog, REDACTED } from './log-redaction';

describe('log redaction (by rule)', () => {
  it('hides the value of every header named like a credential, whatever it is called', () => {
    const headers = redactHeaders({
      authorization: 'Bearer ldk_x',
      'x-api-key': 'ldk_y',
      'x-ledgerdesk-token': 't',
      cookie: 'sid=1',
      'webhook-signature': 'v1,abc',
      'content-type': 'application/json',
      'user-agent': 'curl/8',
    });
    expect(headers).toEqual({
      authorization: REDACTED,
      'x-api-key': REDACTED,
      'x-ledgerdesk-token': REDACTED,
      cookie: REDACTED,
      'webhook-signature': REDACTED,
      'content-type': 'application/json',
      'user-agent': 'curl/8',
    });
  });

  it('hides credential-like query values and keeps the rest of the URL', () => {
    expect(redactUrl('/api/v1/tickets?api_key=ldk_1&limit=5&Access%5FToken=abc&status=open')).toBe(
      `/api/v1/tickets?api_key=${REDACTED}&limit=5&Access%5FToken=${REDACTED}&status=open`,
    );
    expect(redactUrl('/api/v1/tickets')).toBe('/api/v1/tickets');
    expect(redactUrl('/x?%E0%A4%A=1&token')).toBe('/x?%E0%A4%A=1&token');
  });

  it('serializes raw and pre-serialized requests the same way', () => {
    const raw = { id: 'r1', method: 'GET', url: '/a?secret=s', headers: { 'x-api-key': 'k' }, socket: { remoteAddress: '127.0.0.1' } };
    expect(requestForLog(raw)).toEqual({
      id: 'r1',
      method: 'GET',
      url: `/a?secret=${REDACTED}`,
      headers: { 'x-api-key': REDACTED },
      remoteAddress: '127.0.0.1',
    });
    expect(requestForLog({ ...raw, socket: undefined, remoteAddress: '127.0.0.1' })).toEqual(requestForLog(raw));
  });

  it("hides a client API session's source_id in the path and an identifier_hash in the query", () => {
    expect(redactUrl('/public/api/v1/inboxes/ldp_abc/contacts/lds_secret/conversations?limit=2')).toBe(
      `/public/api/v1/inboxes/ldp_abc/contacts/${REDACTED}/conversations?limit=2`,
    );
    expect(redactUrl('/public/api/v1/inboxes/ldp_abc/contacts/lds_secret?identifier=u1&identifier_hash=abc')).toBe(
      `/public/api/v1/inboxes/ldp_abc/contacts/${REDACTED}?identifier=u1&identifier_hash=${REDACTED}`,
    );
    expect(redactUrl('/public/api/v1/inboxes/ldp_abc/contacts')).toBe('/public/api/v1/inboxes/ldp_abc/contacts');
  });
});
