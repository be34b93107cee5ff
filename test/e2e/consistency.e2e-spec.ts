import type { TestApp, TestResponse } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/** ARCHITECTURE.md "Reads after writes": X-Consistent-With names a log position to wait for. */
describe('read-your-writes with X-Consistent-With (e2e)', () => {
  let app: TestApp;
  let ws: { key: string };

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    ws = await app.createWorkspace('Consistency');
  });
  afterAll(async () => {
    await app?.close();
  });

  const consistentGet = (path: string, position: string) => app.request('GET', `/api/v1${path}`, { token: ws.key, headers: { 'x-consistent-with': position } });

  it('a read naming the write’s log position always sees the write (50 times)', async () => {
    for (let i = 0; i < 50; i++) {
      const created = await app.request('POST', '/api/v1/tickets', {
        token: ws.key,
        body: { subject: `Loop ${i}`, description: `needle-${i}`, customer_email: 'loop@example.com' },
      });
      expect(created.status).toBe(201);
      const position = created.headers.get('x-log-position')!;
      expect(position).toMatch(/^\d+$/);
      const id = created.body.data.id;

      const single = await consistentGet(`/tickets/${id}`, position);
      expect(single.status).toBe(200);
      expect(Number(single.headers.get('x-consistent-with'))).toBeGreaterThanOrEqual(Number(position));
      expect(single.body.data.subject).toBe(`Loop ${i}`);

      const listed = await consistentGet(`/tickets?search=needle-${i}`, position);
      expect(listed.body.data.map((t: { id: string }) => t.id)).toContain(id);

      const message = await app.request('POST', `/api/v1/tickets/${id}/messages`, { token: ws.key, body: { body: `reply ${i}` } });
      expect(message.status).toBe(201);
      const afterMessage = await consistentGet(`/tickets/${id}`, message.headers.get('x-log-position')!);
      expect(afterMessage.body.data.messages.map((m: { body: string }) => m.body)).toEqual([`needle-${i}`, `reply ${i}`]);
      // TicketCreated, its first message, the reply.
      expect(afterMessage.headers.get('etag')).toBe('"2"');
    }
  });

  it.each(['abc', '-1', '1.5', '', '1e3', '99999999999999999'])('rejects X-Consistent-With %p with 400 in the envelope', async (value) => {
    const res: TestResponse = await consistentGet('/tickets', value);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST', details: { 'X-Consistent-With': expect.any(Array) } });
  });

  it('answers 503 when the read models cannot reach the position in time', async () => {
    const head = await app.infrastructure.eventStore.headPosition();
    const res = await consistentGet('/tickets', String(head + 1_000_000));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
  }, 15_000);
});
