import { projectionSpecification, recordedEvent } from '@ledgerdesk/testing';
import { INBOX_KEYS_COLLECTION, INBOXES_COLLECTION, inboxesProjection, type InboxDocument, type InboxKeyDocument } from './inboxes.projection';

const spec = projectionSpecification(inboxesProjection);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T11:00:00.000Z';
const ids = { inbox_id: 'i-1', workspace_id: 'w-1' };

const created = recordedEvent(
  'InboxCreated',
  { ...ids, name: 'Support', enabled: true, slack_channel_id: null, callback_url: null },
  { position: 1, occurredAt: T0 },
);
const inbox: InboxDocument = {
  _id: 'i-1',
  _position: 1,
  id: 'i-1',
  workspace_id: 'w-1',
  name: 'Support',
  enabled: true,
  slack_channel_id: null,
  callback_url: null,
  callback_secret: null,
  public_identifier: null,
  hmac_mandatory: false,
  allowed_origins: [],
  created_at: T0,
  updated_at: T0,
};
const keyIssued = recordedEvent('InboxApiKeyIssued', { ...ids, key_id: 'k-1', key_hash: 'hash', key_prefix: 'ldk_abc' }, { position: 2, occurredAt: T0 });
const key: InboxKeyDocument = {
  _id: 'k-1',
  _position: 2,
  id: 'k-1',
  kind: 'inbox',
  workspace_id: 'w-1',
  inbox_id: 'i-1',
  key_hash: 'hash',
  key_prefix: 'ldk_abc',
  revoked: false,
  created_at: T0,
};

describe('inboxes projection', () => {
  it('creates an inbox', () =>
    spec
      .given([])
      .when(created)
      .then({ [INBOXES_COLLECTION]: [inbox], [INBOX_KEYS_COLLECTION]: [] }));

  it('applies the changes of an update', () =>
    spec
      .given([created])
      .when(recordedEvent('InboxUpdated', { ...ids, changes: { name: 'Billing', callback_url: 'https://example.com/cb' } }, { position: 2, occurredAt: T1 }))
      .then({ [INBOXES_COLLECTION]: [{ ...inbox, _position: 2, name: 'Billing', callback_url: 'https://example.com/cb', updated_at: T1 }] }));

  it('keeps the callback secret, for the worker, without touching updated_at', () =>
    spec
      .given([created])
      .when(recordedEvent('InboxCallbackSecretIssued', { ...ids, secret: 'enc:v1:abc' }, { position: 2, occurredAt: T1 }))
      .then({ [INBOXES_COLLECTION]: [{ ...inbox, _position: 2, callback_secret: 'enc:v1:abc' }] }));

  it('issues and revokes inbox keys beside the inbox', () =>
    spec
      .given([created, keyIssued])
      .when(recordedEvent('InboxApiKeyRevoked', { ...ids, key_id: 'k-1' }, { position: 3, occurredAt: T1 }))
      .then({ [INBOXES_COLLECTION]: [inbox], [INBOX_KEYS_COLLECTION]: [{ ...key, _position: 3, revoked: true }] }));

  it('writes an issued key', () =>
    spec
      .given([created])
      .when(keyIssued)
      .then({ [INBOX_KEYS_COLLECTION]: [key] }));

  it('ignores events of an inbox or a key it does not know', () =>
    spec
      .given([])
      .when(
        recordedEvent('InboxUpdated', { ...ids, changes: { name: 'X' } }, { position: 2 }),
        recordedEvent('InboxCallbackSecretIssued', { ...ids, secret: 's' }, { position: 3 }),
        recordedEvent('InboxApiKeyRevoked', { ...ids, key_id: 'k-9' }, { position: 4 }),
      )
      .thenNothingChanges());

  it('keeps the client API settings (public identifier, hmac_mandatory, allowed_origins), never the HMAC token', () => {
    const channelCreated = recordedEvent(
      'InboxCreated',
      {
        ...ids,
        name: 'Support',
        enabled: true,
        slack_channel_id: null,
        callback_url: null,
        public_identifier: 'ldp_abc',
        hmac_token: 'enc:v1:sealed',
        hmac_mandatory: true,
        allowed_origins: ['https://shop.example.com'],
      },
      { position: 1, occurredAt: T0 },
    );
    const channelInbox = { ...inbox, public_identifier: 'ldp_abc', hmac_mandatory: true, allowed_origins: ['https://shop.example.com'] };
    spec
      .given([])
      .when(channelCreated)
      .then({ [INBOXES_COLLECTION]: [channelInbox] });
    spec
      .given([channelCreated])
      .when(recordedEvent('InboxUpdated', { ...ids, changes: { hmac_mandatory: false, allowed_origins: [] } }, { position: 2, occurredAt: T1 }))
      .then({ [INBOXES_COLLECTION]: [{ ...channelInbox, _position: 2, hmac_mandatory: false, allowed_origins: [], updated_at: T1 }] });
    spec
      .given([channelCreated])
      .when(recordedEvent('InboxHmacTokenRotated', { ...ids, hmac_token: 'enc:v1:new' }, { position: 2, occurredAt: T1 }))
      .then({ [INBOXES_COLLECTION]: [channelInbox] });
  });
});
