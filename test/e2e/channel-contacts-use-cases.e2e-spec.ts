import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TestApp } from '@ledgerdesk/testing';
import {
  CreatePublicContactCommand,
  FindContactSessionQuery,
  GetPublicContactQuery,
  UpdatePublicContactCommand,
  identifierHash,
  type ClaimedIdentity,
  type ContactSession,
  type PublicContactProfile,
  type PublicContactResult,
  type PublicContactView,
} from '@ledgerdesk/channel';
import { systemContext, type DomainError } from '@ledgerdesk/shared';
import { startApiTestApp } from '../support/api-test-app';

/**
 * API.md section 9's identity rules, on the channel context's public contact use cases (the
 * public HTTP endpoints that run them are tested with the client API).
 */
let app: TestApp;
let ws: { id: string; key: string };
let inbox: { workspaceId: string; inboxId: string };
let token: string;
let otherInbox: { workspaceId: string; inboxId: string };

const api = (method: string, path: string, body?: unknown) => app.request(method, `/api/v1${path}`, { token: ws.key, body });
const signed = (identifier: string, key = token): ClaimedIdentity => ({ identifier, identifierHash: identifierHash(key, identifier) });
const ctx = () => systemContext(ws.id);

const createContact = (identity: ClaimedIdentity, contact: PublicContactProfile = {}, at = inbox): Promise<PublicContactResult> =>
  app.app.get(CommandBus).execute(new CreatePublicContactCommand({ inbox: at, identity, contact, context: ctx() }));
const getContact = (sourceId: string, identity: ClaimedIdentity = {}, at = inbox): Promise<PublicContactView> =>
  app.app.get(QueryBus).execute(new GetPublicContactQuery({ inbox: at, sourceId, identity }));
const updateContact = (sourceId: string, changes: PublicContactProfile, identity: ClaimedIdentity = {}): Promise<PublicContactResult> =>
  app.app.get(CommandBus).execute(new UpdatePublicContactCommand({ inbox, sourceId, identity, changes, context: ctx() }));
const findSession = (sourceId: string): Promise<ContactSession | null> => app.app.get(QueryBus).execute(new FindContactSessionQuery(sourceId));

/** Fails with the domain error's code; nothing is written. */
async function rejected(act: () => Promise<unknown>): Promise<string> {
  const before = await app.infrastructure.eventStore.headPosition();
  const error = (await act().then(
    () => null,
    (e: unknown) => e,
  )) as DomainError | null;
  expect(await app.infrastructure.eventStore.headPosition()).toBe(before);
  return error?.code ?? 'no error';
}

const newInbox = async (name: string) => {
  const res = await api('POST', '/inboxes', { name });
  if (res.status !== 201) throw new Error(`inbox: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: string; hmac_token: string };
};

beforeAll(async () => {
  app = await startApiTestApp();
  ws = await app.createWorkspace('Public contacts');
  const created = await newInbox('Chat');
  inbox = { workspaceId: ws.id, inboxId: created.id };
  token = created.hmac_token;
  otherInbox = { workspaceId: ws.id, inboxId: (await newInbox('Other chat')).id };
});
afterAll(() => app.close());

describe('public contacts: identity (section 9)', () => {
  it('two devices of one verified contact get two sessions of the same customer, created once', async () => {
    const [phone, laptop] = await Promise.all([
      createContact(signed('user_123'), { name: 'Ada', email: 'ada@example.com' }),
      createContact(signed('user_123'), { name: 'Ada' }),
    ]);
    expect(phone.contact.id).toBe(laptop.contact.id);
    expect(phone.contact.source_id).not.toBe(laptop.contact.source_id);
    for (const { contact } of [phone, laptop]) {
      expect(contact).toMatchObject({ hmac_verified: true, name: 'Ada', source_id: expect.stringMatching(/^lds_[A-Za-z0-9]{32}$/) });
      expect(contact.pubsub_token).toEqual(expect.any(String));
    }
    expect(phone.contact.pubsub_token).not.toBe(laptop.contact.pubsub_token);
    const customer = (await api('GET', `/customers/${phone.contact.id}`)).body.data;
    // The typed email is only claimed, even for a verified contact (the hash covers the identifier alone).
    expect(customer).toMatchObject({ identifier: 'user_123', email: null, claimed_email: 'ada@example.com' });
    expect(customer.contact_inboxes).toHaveLength(2);
    expect(customer.contact_inboxes.every((s: { hmac_verified: boolean; inbox_id: string }) => s.hmac_verified && s.inbox_id === inbox.inboxId)).toBe(true);
  });

  it('a verified contact attaches to the customer an agent created with that identifier', async () => {
    const agentMade = (await api('POST', '/customers', { identifier: 'crm-7', email: 'real@example.com', name: 'Real Name' })).body.data;
    const { contact } = await createContact(signed('crm-7'));
    expect(contact).toMatchObject({ id: agentMade.id, email: 'real@example.com', name: 'Real Name', hmac_verified: true });
  });

  it('an anonymous contact typing another customer’s email gets a new customer, the email only claimed', async () => {
    const victim = (await api('POST', '/customers', { email: 'victim@example.com', name: 'Victim' })).body.data;
    const { contact } = await createContact({}, { email: 'victim@example.com', name: 'Mallory' });
    expect(contact.id).not.toBe(victim.id);
    expect(contact).toMatchObject({ hmac_verified: false, name: 'Mallory', email: 'victim@example.com' });
    const created = (await api('GET', `/customers/${contact.id}`)).body.data;
    expect(created).toMatchObject({ email: null, claimed_email: 'victim@example.com', identifier: null });
    // The victim is untouched, and still owns the email.
    expect((await api('GET', `/customers/${victim.id}`)).body.data).toMatchObject({ email: 'victim@example.com', name: 'Victim', contact_inboxes: [] });
    // Anonymous contacts never share a customer, even with the same email.
    expect((await createContact({}, { email: 'victim@example.com' })).contact.id).not.toBe(contact.id);
  });

  it('an identifier with a missing, malformed or wrong hash is a 401, and nothing is written', async () => {
    expect(await rejected(() => createContact({ identifier: 'user_9' }))).toBe('UNAUTHORIZED');
    expect(await rejected(() => createContact({ identifier: 'user_9', identifierHash: 'not-hex' }))).toBe('UNAUTHORIZED');
    expect(await rejected(() => createContact({ identifier: 'user_9', identifierHash: identifierHash(token, 'user_8') }))).toBe('UNAUTHORIZED');
    expect(await rejected(() => createContact(signed('user_9', 'ldh_not-the-inbox-token')))).toBe('UNAUTHORIZED');
  });

  it('an inbox with hmac_mandatory refuses anonymous contacts (401) and takes verified ones', async () => {
    const strict = await newInbox('Strict');
    expect((await api('PATCH', `/inboxes/${strict.id}`, { hmac_mandatory: true })).status).toBe(200);
    const at = { workspaceId: ws.id, inboxId: strict.id };
    expect(await rejected(() => createContact({}, { name: 'anon' }, at))).toBe('UNAUTHORIZED');
    expect((await createContact(signed('strict-1', strict.hmac_token), {}, at)).contact.hmac_verified).toBe(true);
  });

  it('GET answers the same contact and pubsub_token; it may re-assert the verified identity, never another (401)', async () => {
    const { contact } = await createContact(signed('user_get'), { name: 'Getter' });
    expect(await getContact(contact.source_id)).toEqual(contact);
    expect(await getContact(contact.source_id, signed('user_get'))).toEqual(contact);
    expect(await rejected(() => getContact(contact.source_id, signed('user_123')))).toBe('UNAUTHORIZED');
    expect(await rejected(() => getContact(contact.source_id, { identifier: 'user_get', identifierHash: '0'.repeat(64) }))).toBe('UNAUTHORIZED');
    // An anonymous session has no identity to re-assert.
    const anon = (await createContact({})).contact;
    expect(await rejected(() => getContact(anon.source_id, signed('user_get')))).toBe('UNAUTHORIZED');
  });

  it('a session of another inbox, an unknown or malformed source_id: 404', async () => {
    const { contact } = await createContact({});
    expect(await rejected(() => getContact(contact.source_id, {}, otherInbox))).toBe('NOT_FOUND');
    expect(await rejected(() => getContact(`lds_${'a'.repeat(32)}`))).toBe('NOT_FOUND');
    expect(await rejected(() => getContact('lds_short'))).toBe('NOT_FOUND');
    expect(
      await rejected(() =>
        updateContact(
          contact.source_id.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')),
          { name: 'x' },
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('PATCH changes the profile (an email only as claimed_email), never the identity', async () => {
    const { contact } = await createContact(signed('user_patch'), { name: 'Before' });
    const { contact: patched } = await updateContact(
      contact.source_id,
      { name: 'After', email: 'typed@example.com', customAttributes: { plan: 'pro' } },
      signed('user_patch'),
    );
    expect(patched).toEqual({ ...contact, name: 'After', email: 'typed@example.com' });
    const customer = (await api('GET', `/customers/${contact.id}`)).body.data;
    expect(customer).toMatchObject({ identifier: 'user_patch', email: null, claimed_email: 'typed@example.com', custom_fields: { plan: 'pro' } });
    expect(await rejected(() => updateContact(contact.source_id, { name: 'Hijack' }, signed('user_123')))).toBe('UNAUTHORIZED');
    expect((await getContact(contact.source_id)).name).toBe('After');
  });

  it('FindContactSessionQuery: the session with its pubsub_token; none once its customer is erased, or for a malformed id', async () => {
    const { contact } = await createContact({}, { name: 'Found' });
    expect(await findSession(contact.source_id)).toEqual({
      source_id: contact.source_id,
      workspace_id: ws.id,
      customer_id: contact.id,
      inbox_id: inbox.inboxId,
      hmac_verified: false,
      pubsub_token: contact.pubsub_token,
      created_at: expect.any(String),
    });
    expect(await findSession('nope')).toBeNull();
    expect((await api('DELETE', `/customers/${contact.id}`)).status).toBe(204);
    expect(await findSession(contact.source_id)).toBeNull();
    expect(await rejected(() => getContact(contact.source_id))).toBe('NOT_FOUND');
  });
});
