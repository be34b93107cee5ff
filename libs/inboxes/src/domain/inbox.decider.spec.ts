import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { inboxDecider } from './inbox.decider';
import type { InboxEvent } from './inbox.events';

const spec = deciderSpecification(inboxDecider);
const ids = { inbox_id: 'i-1', workspace_id: 'w-1' };
const settings = { name: 'Web', enabled: true, slack_channel_id: null, callback_url: null };
const key = (n: number) => ({ keyId: `k-${n}`, keyHash: `h${n}`, keyPrefix: `ldi_000${n}` });
const issued = (n: number): InboxEvent => ({
  type: 'InboxApiKeyIssued',
  data: { ...ids, key_id: `k-${n}`, key_hash: `h${n}`, key_prefix: `ldi_000${n}` },
});
const created: InboxEvent[] = [{ type: 'InboxCreated', data: { ...ids, ...settings } }, issued(1)];

describe('inbox decider', () => {
  it('given nothing, when created, then the inbox and its first key exist', () => {
    spec
      .given([])
      .when({ type: 'CreateInbox', inboxId: 'i-1', workspaceId: 'w-1', settings, firstKey: key(1), callbackSecret: null })
      .then(created);
  });

  it('given nothing, when created with a callback URL, then its secret is issued too', () => {
    spec
      .given([])
      .when({
        type: 'CreateInbox',
        inboxId: 'i-1',
        workspaceId: 'w-1',
        settings: { ...settings, callback_url: 'https://x.test/cb' },
        firstKey: key(1),
        callbackSecret: 'whsec_abc',
      })
      .then([
        { type: 'InboxCreated', data: { ...ids, ...settings, callback_url: 'https://x.test/cb' } },
        issued(1),
        { type: 'InboxCallbackSecretIssued', data: { ...ids, secret: 'whsec_abc' } },
      ]);
  });

  it('given two active keys, when rotated, then a new key is issued and both older ones revoked in one decision', () => {
    spec
      .given([...created, issued(2)])
      .when({ type: 'RotateInboxApiKey', workspaceId: 'w-1', key: key(3) })
      .then([issued(3), { type: 'InboxApiKeyRevoked', data: { ...ids, key_id: 'k-1' } }, { type: 'InboxApiKeyRevoked', data: { ...ids, key_id: 'k-2' } }]);
  });

  it('given an inbox, when updated with only changed fields recorded, then InboxUpdated', () => {
    spec
      .given(created)
      .when({ type: 'UpdateInbox', workspaceId: 'w-1', changes: { name: 'Web', enabled: false }, callbackSecret: 'whsec_x' })
      .then([{ type: 'InboxUpdated', data: { ...ids, changes: { enabled: false } } }]);
  });

  it('given an inbox, when updated with its current values, then nothing happens', () => {
    spec
      .given(created)
      .when({ type: 'UpdateInbox', workspaceId: 'w-1', changes: { name: 'Web' }, callbackSecret: null })
      .thenNothingHappens();
  });

  it('given a revoked key, when revoked again, then not found', () => {
    spec
      .given([...created, { type: 'InboxApiKeyRevoked', data: { ...ids, key_id: 'k-1' } }])
      .when({ type: 'RevokeInboxApiKey', workspaceId: 'w-1', keyId: 'k-1' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });

  it('given no inbox, when rotated, then not found', () => {
    spec
      .given([])
      .when({ type: 'RotateInboxApiKey', workspaceId: 'w-1', key: key(1) })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});

describe('inbox decider: tenancy', () => {
  it("another workspace's inbox is NOT_FOUND for every write, like a missing one", () => {
    for (const command of [
      { type: 'UpdateInbox' as const, workspaceId: 'w-2', changes: { name: 'x' }, callbackSecret: null },
      { type: 'RotateInboxApiKey' as const, workspaceId: 'w-2', key: key(2) },
      { type: 'RevokeInboxApiKey' as const, workspaceId: 'w-2', keyId: 'k-1' },
    ]) {
      spec
        .given(created)
        .when(command)
        .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
      spec
        .given([])
        .when(command)
        .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
    }
  });
});

describe('inbox decider: the client API channel', () => {
  const channel = { publicIdentifier: 'ldp_abc', hmacToken: 'enc:v1:sealed', hmac_mandatory: false, allowed_origins: ['https://shop.example.com'] };
  const channelCreated: InboxEvent[] = [
    {
      type: 'InboxCreated',
      data: {
        ...ids,
        ...settings,
        public_identifier: 'ldp_abc',
        hmac_token: 'enc:v1:sealed',
        hmac_mandatory: false,
        allowed_origins: ['https://shop.example.com'],
      },
    },
    issued(1),
  ];

  it('given nothing, when created with a channel part, then InboxCreated carries the public identifier, sealed token and settings', () => {
    spec
      .given([])
      .when({ type: 'CreateInbox', inboxId: 'i-1', workspaceId: 'w-1', settings, firstKey: key(1), callbackSecret: null, channel })
      .then(channelCreated);
  });

  it('given nothing, when created with more than 20 origins or a malformed one, then a validation error', () => {
    const many = Array.from({ length: 21 }, (_, i) => `https://s${i}.example.com`);
    for (const allowed_origins of [many, ['https://shop.example.com/path'], ['ftp://x.example.com'], ['*']]) {
      spec
        .given([])
        .when({
          type: 'CreateInbox',
          inboxId: 'i-1',
          workspaceId: 'w-1',
          settings,
          firstKey: key(1),
          callbackSecret: null,
          channel: { ...channel, allowed_origins },
        })
        .thenThrows<DomainError>((e) => e.code === 'VALIDATION' && 'allowed_origins' in e.details);
    }
  });

  it('given an inbox, when hmac_mandatory and allowed_origins change, then only what changed is recorded', () => {
    spec
      .given(channelCreated)
      .when({ type: 'UpdateInbox', workspaceId: 'w-1', changes: { hmac_mandatory: true, allowed_origins: ['https://shop.example.com'] }, callbackSecret: null })
      .then([{ type: 'InboxUpdated', data: { ...ids, changes: { hmac_mandatory: true } } }]);
    spec
      .given(channelCreated)
      .when({ type: 'UpdateInbox', workspaceId: 'w-1', changes: { allowed_origins: ['https://a.example.com', 'https://a.example.com'] }, callbackSecret: null })
      .then([{ type: 'InboxUpdated', data: { ...ids, changes: { allowed_origins: ['https://a.example.com'] } } }]);
  });

  it('given an inbox, when its HMAC token is rotated, then InboxHmacTokenRotated with the new sealed token', () => {
    spec
      .given(channelCreated)
      .when({ type: 'RotateInboxHmacToken', workspaceId: 'w-1', hmacToken: 'enc:v1:new' })
      .then([{ type: 'InboxHmacTokenRotated', data: { ...ids, hmac_token: 'enc:v1:new' } }]);
  });

  it("another workspace's inbox is NOT_FOUND for a token rotation", () => {
    spec
      .given(channelCreated)
      .when({ type: 'RotateInboxHmacToken', workspaceId: 'w-2', hmacToken: 'enc:v1:new' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });

  it('the state keeps the latest token and channel settings (identity checks read it)', () => {
    const state = [...channelCreated, { type: 'InboxHmacTokenRotated', data: { ...ids, hmac_token: 'enc:v1:new' } } as InboxEvent].reduce(
      inboxDecider.evolve,
      inboxDecider.initialState,
    );
    expect(state).toMatchObject({
      hmacToken: 'enc:v1:new',
      publicIdentifier: 'ldp_abc',
      channel: { hmac_mandatory: false, allowed_origins: ['https://shop.example.com'] },
    });
  });
});
