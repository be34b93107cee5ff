import { deciderSpecification } from '@ledgerdesk/testing';
import { fold } from '@ledgerdesk/event-sourcing';
import { systemContext, type DomainError } from '@ledgerdesk/shared';
import { contactSessionDecider, type ContactSessionCommand } from './contact-session.decider';
import type { ContactSessionEvent } from './contact-session.events';
import { contactSessionStreamId } from './contact-session.events';
import { isSourceId, newPubsubToken, newSourceId } from './contact-session-credentials';

const spec = deciderSpecification(contactSessionDecider);
const visible = { exists: true, deleted: false, workspaceId: 'w-1' };
const open: ContactSessionCommand = {
  type: 'OpenContactSession',
  sourceId: 'lds_x',
  workspaceId: 'w-1',
  customerId: 'c-1',
  inboxId: 'i-1',
  hmacVerified: false,
  pubsubToken: 'enc:v1:k:sealed',
  customer: visible,
  inbox: { exists: true, workspaceId: 'w-1' },
};
const opened: ContactSessionEvent = {
  type: 'ContactSessionOpened',
  data: { source_id: 'lds_x', workspace_id: 'w-1', customer_id: 'c-1', inbox_id: 'i-1', hmac_verified: false, pubsub_token: 'enc:v1:k:sealed' },
};

describe('contact session decider', () => {
  it('given nothing, when opened for a customer and an inbox of the workspace, then ContactSessionOpened', () => {
    spec.given([]).when(open).then([opened]);
  });
  it('given nothing, when the inbox is unknown or another workspace’s, then a 400 naming inbox_id', () => {
    const namesInbox = (e: DomainError) => e.code === 'VALIDATION' && Array.isArray(e.details.inbox_id);
    spec
      .given([])
      .when({ ...open, inbox: { exists: false, workspaceId: null } })
      .thenThrows<DomainError>(namesInbox);
    spec
      .given([])
      .when({ ...open, inbox: { exists: true, workspaceId: 'w-2' } })
      .thenThrows<DomainError>(namesInbox);
    // Both wrong: the body reference answers first.
    spec
      .given([])
      .when({ ...open, inbox: { exists: false, workspaceId: null }, customer: { exists: false, workspaceId: null } })
      .thenThrows<DomainError>(namesInbox);
  });
  it('given nothing, when the customer is unknown, deleted or another workspace’s, then not found', () => {
    const notFound = (e: DomainError) => e.code === 'NOT_FOUND' && e.message === 'Customer not found';
    spec
      .given([])
      .when({ ...open, customer: { exists: false, workspaceId: null } })
      .thenThrows<DomainError>(notFound);
    spec
      .given([])
      .when({ ...open, customer: { ...visible, deleted: true } })
      .thenThrows<DomainError>(notFound);
    spec
      .given([])
      .when({ ...open, customer: { ...visible, workspaceId: 'w-2' } })
      .thenThrows<DomainError>(notFound);
  });
  it('given a session, when opened again under its source_id, then conflict', () => {
    spec
      .given([opened])
      .when(open)
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
  });
  it('folded, the state is the session with when it was opened', () => {
    const state = fold(contactSessionDecider, [{ ...opened, metadata: { occurred_at: '2026-01-01T00:00:00.000Z' } }]);
    expect(state).toEqual({
      exists: true,
      sourceId: 'lds_x',
      workspaceId: 'w-1',
      customerId: 'c-1',
      inboxId: 'i-1',
      hmacVerified: false,
      pubsubToken: 'enc:v1:k:sealed',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('contact session credentials', () => {
  it('source_id is lds_ + 32 base62, pubsub_token another random secret; the stream id does not reveal the source_id', () => {
    const context = systemContext('w');
    const sourceId = newSourceId(context);
    expect(sourceId).toMatch(/^lds_[A-Za-z0-9]{32}$/);
    expect(isSourceId(sourceId)).toBe(true);
    expect(newSourceId(context)).not.toBe(sourceId);
    const token = newPubsubToken(context);
    expect(token).toMatch(/^ldps_[A-Za-z0-9]{40}$/);
    expect(contactSessionStreamId(sourceId)).toMatch(/^contact-session-[0-9a-f]{64}$/);
    expect(contactSessionStreamId(sourceId)).not.toContain(sourceId.slice(4));
  });
  it('anything but a well-formed source_id is none', () => {
    for (const bad of ['', 'lds_', `lds_${'a'.repeat(31)}`, `lds_${'a'.repeat(33)}`, `ldx_${'a'.repeat(32)}`, `lds_${'a'.repeat(31)}-`, null, 42]) {
      expect(isSourceId(bad)).toBe(false);
    }
  });
});
