export interface InboxSettings {
  name: string;
  enabled: boolean;
  slack_channel_id: string | null;
  callback_url: string | null;
}

/** What the public client API (API.md section 9) needs of an inbox beyond its settings. */
export interface InboxChannelSettings {
  hmac_mandatory: boolean;
  /** Origins (`scheme://host[:port]`) whose pages may call the client API, besides Ledgerdesk's own. */
  allowed_origins: string[];
}

export type InboxChanges = Partial<InboxSettings & InboxChannelSettings>;

/**
 * The channel part of InboxCreated. Optional: inboxes created by older versions have none of it
 * (no public identifier, no HMAC token; `hmac_mandatory` false, `allowed_origins` empty).
 */
export interface InboxCreatedChannelData extends Partial<InboxChannelSettings> {
  /** `ldp_` + 24 base62: names the inbox in the client API's URLs. Public. */
  public_identifier?: string;
  /** `ldh_` + 32 base62, sealed (`enc:v1:...`, SecretBox) before the append. */
  hmac_token?: string;
}

export type InboxEvent =
  | { type: 'InboxCreated'; data: { inbox_id: string; workspace_id: string } & InboxSettings & InboxCreatedChannelData }
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
  | { type: 'InboxCallbackSecretIssued'; data: { inbox_id: string; workspace_id: string; secret: string } }
  /** A new HMAC token (sealed, like the callback secret); the previous one stops verifying. */
  | { type: 'InboxHmacTokenRotated'; data: { inbox_id: string; workspace_id: string; hmac_token: string } };

export const INBOX_EVENT_TYPES: ReadonlySet<string> = new Set<InboxEvent['type']>([
  'InboxCreated',
  'InboxUpdated',
  'InboxApiKeyIssued',
  'InboxApiKeyRevoked',
  'InboxCallbackSecretIssued',
  'InboxHmacTokenRotated',
]);

export const inboxStreamId = (inboxId: string) => `inbox-${inboxId}`;

export const PUBLIC_IDENTIFIER_PREFIX = 'ldp_';
export const HMAC_TOKEN_PREFIX = 'ldh_';
export const MAX_ALLOWED_ORIGINS = 20;
