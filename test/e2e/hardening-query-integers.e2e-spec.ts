import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/**
 * Issue 19: every integer query parameter goes through one strict decimal parser: ASCII digits
 * only (no sign, space, hex, exponent or fraction), then the range. Leading zeros are accepted
 * everywhere (`05` is plain decimal 5, never octal), as the list endpoints always did.
 */
describe('hardening: integer query parameters (e2e)', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    key = (await app.createWorkspace('Query integers')).key;
  });
  afterAll(() => app.close());

  const lists = ['/events', '/tickets', '/customers'];
  const refused = ['0x10', '%205', '5%20', '1e1', '+5', '-5', '5.0', '5.', '', '%EF%BC%95', '0b101', 'Infinity', '5&limit=6'];

  describe.each(lists)('GET %s', (list) => {
    it.each(refused)('limit=%s is a 400 naming limit', async (limit) => {
      const res = await app.request('GET', `/api/v1${list}?limit=${limit}`, { token: key });
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
      expect(Object.keys(res.body.error.details)).toEqual(['limit']);
    });

    it.each([
      ['5', 5],
      ['05', 5],
      ['100', 100],
    ])('limit=%s is accepted as %i', async (limit, expected) => {
      const res = await app.request('GET', `/api/v1${list}?limit=${limit}`, { token: key });
      expect(res.status).toBe(200);
      expect(res.body.meta.limit).toBe(expected);
    });

    it.each(['0', '101', '99999999999999999999'])('limit=%s (out of range) is a 400', async (limit) => {
      const res = await app.request('GET', `/api/v1${list}?limit=${limit}`, { token: key });
      expect(res.status).toBe(400);
    });
  });

  it.each(['0x10', '%205', '1e1', '+5', '-1', '', '9007199254740992'])('GET /events?after=%s is a 400 naming after', async (after) => {
    const res = await app.request('GET', `/api/v1/events?after=${after}`, { token: key });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(Object.keys(res.body.error.details)).toEqual(['after']);
  });

  it('GET /events?after=0&limit=5 is a 200', async () => {
    const res = await app.request('GET', '/api/v1/events?after=0&limit=5', { token: key });
    expect(res.status).toBe(200);
  });
});
