import { systemContext } from '@ledgerdesk/shared';
import { startTestApp, waitFor, type TestApp } from '@ledgerdesk/testing';
import { ticketDecider, ticketStreamId } from '@ledgerdesk/tickets';
import { createApiApp } from '../../apps/api/src/bootstrap/create-api-app';
import { createTicket, createUser } from './helpers-resources';

/** The reactor "a deleted user's tickets are unassigned" (libs/tickets/src/reactors). */
describe('unassign-deleted-users reactor (e2e)', () => {
  let app: TestApp;
  let ws: { id: string; key: string };

  beforeAll(async () => {
    app = await startTestApp(createApiApp);
    ws = await app.createWorkspace('Reactor');
  });
  afterAll(() => app.close());

  const ticketEvents = async (id: string) =>
    (await app.request('GET', `/api/v1/tickets/${id}/events`, { token: ws.key })).body.data as Array<{
      id: string;
      type: string;
      metadata: { causation_id: string | null; actor: { type: string } };
    }>;

  it('a ticket assigned to a user whose deletion was decided meanwhile is unassigned, caused by that assignment', async () => {
    const leaving = await createUser(app, ws.key);
    const ticket = await createTicket(app, ws.key);
    expect((await app.request('DELETE', `/api/v1/users/${leaving.id}`, { token: ws.key })).status).toBe(204);

    // The race's outcome: an assignment decided on a read model that still showed the user.
    await app.infrastructure.runner.run(
      ticketStreamId(ticket.id),
      ticketDecider,
      { type: 'UpdateTicket', workspaceId: ws.id, assigneeId: leaving.id },
      systemContext(ws.id),
    );

    await waitFor(async () => (await ticketEvents(ticket.id)).some((e) => e.type === 'TicketUnassigned'), 10_000, 'the reactor to unassign');
    const history = await ticketEvents(ticket.id);
    const assigned = history.find((e) => e.type === 'TicketAssigned')!;
    const unassigned = history.find((e) => e.type === 'TicketUnassigned')!;
    expect(unassigned.metadata.causation_id).toBe(assigned.id);
    expect(unassigned.metadata.actor.type).toBe('system');
    await waitFor(
      async () => (await app.request('GET', `/api/v1/tickets/${ticket.id}`, { token: ws.key })).body.data.assignee_id === null,
      5_000,
      'the read model',
    );
  });

  it('handles each event once: a restart of the reactors writes nothing more', async () => {
    const leaving = await createUser(app, ws.key);
    const ticket = await createTicket(app, ws.key, { assignee_id: leaving.id });
    expect((await app.request('DELETE', `/api/v1/users/${leaving.id}`, { token: ws.key })).status).toBe(204);
    await waitFor(async () => (await ticketEvents(ticket.id)).some((e) => e.type === 'TicketUnassigned'), 10_000, 'the unassignment');
    const reactors = app.infrastructure.reactors!;
    await reactors.stop();
    const head = await app.infrastructure.eventStore.headPosition();
    await reactors.start();
    expect(await reactors.waitFor(head, 10_000)).toBe(true);
    expect((await ticketEvents(ticket.id)).filter((e) => e.type === 'TicketUnassigned')).toHaveLength(1);
    expect(await app.infrastructure.eventStore.headPosition()).toBe(head);
  });
});
