import fc from 'fast-check';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/**
 * The client API faces the internet: whatever a client sends (paths, methods, bodies, headers),
 * the answer is never a 5xx, and every error comes in the contract's envelope.
 */
describe('public client API fuzz (e2e)', () => {
  let app: TestApp;
  let known: { publicIdentifier: string; sourceId: string; conversationId: string; messageId: string };

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '100000', RATE_LIMIT_CONTACT_PER_MINUTE: '100000' } });
    const ws = await app.createWorkspace('Fuzz');
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Chat', allowed_origins: ['https://shop.example.com'] } });
    const publicIdentifier = inbox.body.data.public_identifier as string;
    const contact = await app.request('POST', `/public/api/v1/inboxes/${publicIdentifier}/contacts`, { body: { name: 'Fuzzy' } });
    const sourceId = contact.body.data.source_id as string;
    const conversation = await app.request('POST', `/public/api/v1/inboxes/${publicIdentifier}/contacts/${sourceId}/conversations`, {
      body: { message: { content: 'seed' } },
    });
    known = { publicIdentifier, sourceId, conversationId: conversation.body.data.id, messageId: conversation.body.data.messages[0].id };
  });
  afterAll(async () => {
    await app?.close();
  });

  const segment = () =>
    fc.oneof(
      fc.constantFrom(
        known.publicIdentifier,
        known.sourceId,
        known.conversationId,
        known.messageId,
        'contacts',
        'conversations',
        'messages',
        'toggle_status',
        'toggle_typing',
      ),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom('%00', '..', '%2e%2e', '%F0%9F%92%A9', 'lds_' + 'A'.repeat(32), 'ldp_' + 'B'.repeat(24), '00000000-0000-4000-8000-000000000000'),
    );
  /** Mostly the real route shapes with one part swapped, sometimes anything at all. */
  const path = () =>
    fc
      .oneof(
        fc.constantFrom(
          '',
          '/contacts',
          `/contacts/${known.sourceId}`,
          `/contacts/${known.sourceId}/conversations`,
          `/contacts/${known.sourceId}/conversations/${known.conversationId}`,
          `/contacts/${known.sourceId}/conversations/${known.conversationId}/toggle_status`,
          `/contacts/${known.sourceId}/conversations/${known.conversationId}/toggle_typing`,
          `/contacts/${known.sourceId}/conversations/${known.conversationId}/messages`,
          `/contacts/${known.sourceId}/conversations/${known.conversationId}/messages/${known.messageId}`,
        ),
        fc.array(segment(), { maxLength: 8 }).map((parts) => (parts.length ? `/${parts.join('/')}` : '')),
      )
      .chain((rest) =>
        fc.oneof(
          fc.constant(`/public/api/v1/inboxes/${known.publicIdentifier}${rest}`),
          segment().map((pid) => `/public/api/v1/inboxes/${pid}${rest}`),
        ),
      );
  const jsonBody = () =>
    fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record(
        {
          content: fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.constant(null), fc.constant('x'.repeat(20_001))),
          echo_id: fc.oneof(fc.string({ maxLength: 80 }), fc.integer()),
          message: fc.oneof(fc.record({ content: fc.string(), echo_id: fc.string() }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
          typing_status: fc.oneof(fc.constantFrom('on', 'off'), fc.string()),
          identifier: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
          identifier_hash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string()),
          email: fc.oneof(fc.emailAddress(), fc.string()),
          name: fc.jsonValue({ maxDepth: 1 }),
          custom_attributes: fc.jsonValue({ maxDepth: 3 }),
          ['__proto__']: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
    );
  const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,60}$/);
  const headers = () =>
    fc.record(
      {
        origin: fc.oneof(fc.constantFrom('https://shop.example.com', 'https://evil.example.com', 'null', '*'), headerValue),
        'idempotency-key': headerValue,
        'x-request-id': headerValue,
        'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8'),
        'access-control-request-method': fc.constantFrom('POST', 'PATCH', 'DELETE'),
      },
      { requiredKeys: [] },
    );

  it('never answers 5xx; every 4xx is the error envelope', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'),
        path(),
        fc.option(
          fc.oneof(
            jsonBody().map((b) => JSON.stringify(b)),
            fc.string({ maxLength: 100 }),
          ),
          { nil: undefined },
        ),
        headers(),
        async (method, url, body, hdrs) => {
          const sendsBody = body !== undefined && method !== 'GET' && method !== 'OPTIONS';
          const response = await fetch(app.baseUrl + url, {
            method,
            headers: sendsBody
              ? { 'content-type': 'application/json', ...hdrs }
              : Object.fromEntries(Object.entries(hdrs).filter(([k]) => k !== 'content-type')),
            body: sendsBody ? body : undefined,
          });
          const text = await response.text();
          statuses.add(response.status);
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
            expect(parsed.error).toEqual({ code: expect.any(String), message: expect.any(String), details: expect.any(Object) });
          }
        },
      ),
      { numRuns: 300 },
    );
    // The runs reached the handlers, not only the router: successes and several kinds of refusal.
    expect([...statuses].some((status) => status < 300)).toBe(true);
    expect([...statuses].filter((status) => status >= 400).length).toBeGreaterThanOrEqual(3);
  }, 180_000);
});
