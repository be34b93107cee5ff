import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { createUser } from './helpers-resources';

let app: TestApp;
beforeAll(async () => {
  app = await startApiTestApp();
});
afterAll(() => app.close());

describe('a ticket’s history', () => {
  it('reads as a precise log of create, assign, tag, reply, note, merge, each with actor and request id', async () => {
    const ws = await app.createWorkspace('History');
    const agent = await createUser(app, ws.key);
    const call = (method: string, path: string, requestId: string, body?: unknown) =>
      app.request(method, path, { token: ws.key, body, headers: { 'x-request-id': requestId } });

    const created = await call('POST', '/api/v1/tickets', 'req-create', { subject: 'Refund', description: 'Please refund', customer_email: 'h@example.com' });
    const id = created.body.data.id;
    const other = (await call('POST', '/api/v1/tickets', 'req-other', { subject: 'Refund 2', description: 'Again', customer_email: 'h@example.com' })).body.data
      .id;
    expect((await call('PATCH', `/api/v1/tickets/${id}`, 'req-assign', { assignee_id: agent.id })).status).toBe(200);
    expect((await call('PATCH', `/api/v1/tickets/${id}`, 'req-tag', { tags: ['refunds'] })).status).toBe(200);
    const reply = await call('POST', '/api/v1/conversations', 'req-reply', { ticket_id: id, content: 'On it', type: 'reply', author_id: agent.id });
    expect(reply.status).toBe(201);
    const note = await call('POST', '/api/v1/conversations', 'req-note', { ticket_id: id, content: 'Check Stripe', type: 'note' });
    expect(note.status).toBe(201);
    expect((await call('POST', `/api/v1/tickets/${id}/merge`, 'req-merge', { into_ticket_id: other })).status).toBe(200);

    const history = await app.request('GET', `/api/v1/tickets/${id}/events`, { token: ws.key });
    const actor = { type: 'api_key', id: ws.keyId };
    expect(
      history.body.data.map((e: { type: string; revision: number; data: Record<string, unknown>; metadata: { actor: unknown; request_id: string } }) => ({
        type: e.type,
        revision: e.revision,
        actor: e.metadata.actor,
        request_id: e.metadata.request_id,
      })),
    ).toEqual([
      { type: 'TicketCreated', revision: 0, actor, request_id: 'req-create' },
      { type: 'MessageAppended', revision: 1, actor, request_id: 'req-create' },
      { type: 'TicketAssigned', revision: 2, actor, request_id: 'req-assign' },
      { type: 'TicketTagsChanged', revision: 3, actor, request_id: 'req-tag' },
      { type: 'MessageAppended', revision: 4, actor, request_id: 'req-reply' },
      { type: 'MessageAppended', revision: 5, actor, request_id: 'req-note' },
      { type: 'TicketMerged', revision: 6, actor, request_id: 'req-merge' },
    ]);
    const [, first, assigned, tagged, replied, noted, merged] = history.body.data;
    expect(first.data).toMatchObject({ author_type: 'customer', body: 'Please refund', internal: false, opens_ticket: true });
    expect(assigned.data).toEqual({ ticket_id: id, assignee_id: agent.id, previous_assignee_id: null });
    expect(tagged.data).toEqual({ ticket_id: id, tags: ['refunds'], added: ['refunds'], removed: [] });
    expect(replied.data).toMatchObject({ author_type: 'agent', author_id: agent.id, body: 'On it', internal: false });
    expect(noted.data).toMatchObject({ author_type: 'agent', body: 'Check Stripe', internal: true });
    expect(merged.data).toEqual({ ticket_id: id, into_ticket_id: other, status: 'closed', previous_status: 'new' });

    const target = await app.request('GET', `/api/v1/tickets/${other}/events`, { token: ws.key });
    expect(target.body.data.map((e: { type: string; metadata: { request_id: string } }) => [e.type, e.metadata.request_id])).toEqual([
      ['TicketCreated', 'req-other'],
      ['MessageAppended', 'req-other'],
      ['MessageAppended', 'req-merge'],
    ]);
  });
});
