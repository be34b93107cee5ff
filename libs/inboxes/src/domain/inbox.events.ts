export interface InboxSettings {
  name: string;
  enabled: boolean;
  slack_channel_id: string | null;
  callback_url: string | null;
}

export type InboxChanges = Partial<InboxSettings>;

export type InboxEvent =
  | { type: 'InboxCreated'; data: { inbox_id: string; workspace_id: string } & InboxSettings }
  | { type: 'InboxUpdated'; data: { inbox_id: string; workspace_id: string; changes: InboxChanges } }
  | {
      type: 'InboxApiKeyIssued';
      data: { inbox_id: string; workspace_id: string; key_id: string; key_hash: string; key_prefix: string };
    }
  | { type: 'InboxApiKeyRevoked'; data: { inbox_id: string; workspace_id: string; key_id: string } }
  /**
   * The secret that signs callback deliveries, sealed (`enc:v1:...`, SecretBox) before the append
   * and opened only to sign; events of older versions hold it in clear. Never returned by a read
   * endpoint after the response that issued it.
   */
  | { type: 'InboxCallbackSecretIssued'; data: { inbox_id: string; workspace_id: string; secret: string } };

export const INBOX_EVENT_TYPES: ReadonlySet<string> = new Set<InboxEvent['type']>([
  'InboxCreated',
  'InboxUpdated',
  'InboxApiKeyIssued',
  'InboxApiKeyRevoked',
  'InboxCallbackSecretIssued',
]);

export const inboxStreamId = (inboxId: string) => `inbox-${inboxId}`;
