import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@ledgerdesk/event-store';
import { systemEventMetadata } from '@ledgerdesk/testing';
import { customerIdOfBody, erasedBody } from './customer-erasure';
import { StreamFolds } from './stream-folds';
import { TicketSnapshots } from './ticket-snapshots';

/**
 * The dispatcher's ticket snapshots follow the ticket's customer as the tickets read model does:
 * changes from when they happen (in log order between the ticket's events), erasure for every
 * delivery planned after it (API.md section 6).
 */
describe('TicketSnapshots: the customer as of the event, erased once erased (SQLite)', () => {
  let dir: string;
  let store: SqliteEventStore;
  const workspaceId = randomUUID();
  const customerId = randomUUID();
  const ticketId = randomUUID();
  const metadata = () => systemEventMetadata(workspaceId);
  const customer = (type: string, data: Record<string, unknown>) =>
    store.append(`customer-${customerId}`, [
      { id: randomUUID(), type, data: { customer_id: customerId, workspace_id: workspaceId, ...data }, metadata: metadata() },
    ]);
  const ticket = (type: string, data: Record<string, unknown>) =>
    store.append(`ticket-${ticketId}`, [{ id: randomUUID(), type, data: { ticket_id: ticketId, ...data }, metadata: metadata() }]);
  const ticketEvents = async (): Promise<RecordedEvent[]> => store.readStream(`ticket-${ticketId}`);
  /** A dispatcher's view of the log: a fresh cache that has read nothing yet. */
  const fresh = () => new TicketSnapshots(store, new StreamFolds(store));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ticket-snapshots-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    await customer('CustomerCreated', { email: 'ada@example.com', name: 'Ada', phone: null, company: 'Acme' });
    await ticket('TicketCreated', {
      workspace_id: workspaceId,
      ticket_number: 1001,
      subject: 'Help',
      description: 'Broken',
      status: 'new',
      priority: 'medium',
      source: 'api',
      inbox_id: null,
      customer: { id: customerId, name: 'Ada', email: 'ada@example.com', company: 'Acme' },
      assignee_id: null,
      tags: [],
      custom_fields: {},
      ticket_token_hash: null,
      message: { message_id: randomUUID(), author_type: 'customer', author_id: customerId, body: 'Broken', internal: false, external_id: null },
    });
    await customer('CustomerUpdated', { changes: { name: 'Ada Lovelace', company: 'Analytical' } });
    await ticket('TicketPriorityChanged', { priority: 'high', previous_priority: 'medium' });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies the customer's changes from when they happened, built at once or event by event", async () => {
    const [created, changed] = await ticketEvents();
    const stepwise = fresh();
    expect((await stepwise.at(created, ticketId))?.customer).toEqual({ id: customerId, name: 'Ada', email: 'ada@example.com', company: 'Acme' });
    const afterUpdate = { id: customerId, name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical' };
    expect(await stepwise.at(changed, ticketId)).toMatchObject({ priority: 'high', customer: afterUpdate });
    expect(await fresh().at(changed, ticketId)).toMatchObject({ priority: 'high', customer: afterUpdate });
  });

  it('shows the erased customer for every snapshot once the erasure is in the log, earlier events included', async () => {
    const folds = new StreamFolds(store);
    const snapshots = new TicketSnapshots(store, folds);
    const [created] = await ticketEvents();
    expect((await snapshots.at(created, ticketId))?.customer.email).toBe('ada@example.com');

    await customer('CustomerDeleted', { requested_by: { type: 'system', id: null } });
    await ticket('TicketPriorityChanged', { priority: 'urgent', previous_priority: 'high' });
    const events = await ticketEvents();
    for (const e of (await store.readStream(`customer-${customerId}`)).slice(-1)) folds.observe(e); // as the dispatcher reads the log
    const erased = { id: customerId, name: null, email: null, company: null, erased: true };
    expect(await snapshots.at(events[1], ticketId)).toMatchObject({ priority: 'high', customer: erased });
    expect(await snapshots.at(events[2], ticketId)).toMatchObject({ priority: 'urgent', customer: erased });
    for (const e of events) expect((await fresh().at(e, ticketId))?.customer).toEqual(erased);
    expect(await snapshots.customerErased(customerId)).toBe(true);
  });

  it("announces a new ticket at its first message without reading the ticket's stream again", async () => {
    const newTicketId = randomUUID();
    const messageId = randomUUID();
    const stream = `ticket-${newTicketId}`;
    await store.append(stream, [
      {
        id: randomUUID(),
        type: 'TicketCreated',
        data: {
          ticket_id: newTicketId,
          workspace_id: workspaceId,
          ticket_number: 1002,
          subject: 'New',
          description: 'Hello',
          status: 'new',
          priority: 'medium',
          source: 'api',
          inbox_id: 'inbox-1',
          customer: { id: customerId, name: 'Ada', email: 'ada@example.com', company: 'Acme' },
          assignee_id: null,
          tags: [],
          custom_fields: {},
          ticket_token_hash: null,
          first_message_id: messageId,
        },
        metadata: metadata(),
      },
      {
        id: randomUUID(),
        type: 'MessageAppended',
        data: {
          ticket_id: newTicketId,
          message_id: messageId,
          author_type: 'customer',
          author_id: customerId,
          body: 'Hello',
          internal: false,
          external_id: null,
          opens_ticket: true,
        },
        metadata: metadata(),
      },
    ]);
    const [created, first] = await store.readStream(stream);
    /** Reads of the new ticket's stream (its customer's is read once, as any customer's). */
    let reads = 0;
    const counted = Object.assign(Object.create(store) as SqliteEventStore, {
      readStream: (...args: Parameters<SqliteEventStore['readStream']>) => {
        if (args[0] === stream) reads++;
        return store.readStream(...args);
      },
    });
    const snapshots = new TicketSnapshots(counted, new StreamFolds(counted));
    snapshots.observe(created);
    expect(await snapshots.originOf(first)).toEqual({ inboxId: 'inbox-1', sourceId: null });
    expect(await snapshots.at(first, newTicketId)).toMatchObject({ id: newTicketId, message_count: 1 });
    expect(reads).toBe(0);
    // Without the creation observed, the stream is read: what the cache saves.
    const unobserved = new TicketSnapshots(counted, new StreamFolds(counted));
    expect(await unobserved.at(first, newTicketId)).toMatchObject({ id: newTicketId, message_count: 1 });
    expect(reads).toBeGreaterThan(0);
  });
});

describe('erasedBody', () => {
  it("replaces a ticket's customer by the placeholder and a customer's personal data by nulls, nothing else", () => {
    const ticketBody = JSON.stringify({
      id: 'e1',
      type: 'ticket.created',
      data: {
        ticket: { id: 't', subject: 'Help', customer_id: 'c', customer: { id: 'c', name: 'Ada', email: 'ada@x.io', company: 'Acme' } },
        message: { id: 'm' },
      },
    });
    expect(customerIdOfBody(ticketBody)).toBe('c');
    expect(JSON.parse(erasedBody(ticketBody))).toEqual({
      id: 'e1',
      type: 'ticket.created',
      data: {
        ticket: { id: 't', subject: 'Help', customer_id: 'c', customer: { id: 'c', name: null, email: null, company: null, erased: true } },
        message: { id: 'm' },
      },
    });
    const customerBody = JSON.stringify({
      id: 'e2',
      type: 'customer.created',
      data: {
        customer: {
          id: 'c',
          email: 'ada@x.io',
          name: 'Ada',
          phone: '+1',
          company: 'Acme',
          identifier: 'user_1',
          claimed_email: 'ada@y.io',
          custom_fields: { vip: true },
          created_at: 'now',
        },
      },
    });
    expect(customerIdOfBody(customerBody)).toBe('c');
    expect(JSON.parse(erasedBody(customerBody)).data.customer).toEqual({
      id: 'c',
      email: null,
      name: null,
      phone: null,
      company: null,
      identifier: null,
      claimed_email: null,
      custom_fields: {},
      created_at: 'now',
      erased: true,
    });
    // customer.deleted: the erased form, and older deliveries' `{ id, deleted: true }`, stay as they are.
    for (const customer of [
      { id: 'c', name: null, email: null, company: null, erased: true },
      { id: 'c', deleted: true },
    ]) {
      const deleted = JSON.stringify({ id: 'e3', type: 'customer.deleted', data: { customer } });
      expect(JSON.parse(erasedBody(deleted))).toEqual(JSON.parse(deleted));
    }
  });
});
