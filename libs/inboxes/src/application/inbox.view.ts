import type { InboxDocument } from '../projections/inboxes.projection';

/** The channel fields of an inbox document; documents of inboxes from older versions lack them. */
export interface InboxChannelFields {
  public_identifier?: string | null;
  hmac_mandatory?: boolean;
  allowed_origins?: string[];
}

type InboxViewSource = Pick<InboxDocument, 'id' | 'name' | 'enabled' | 'slack_channel_id' | 'callback_url' | 'created_at' | 'updated_at'> & InboxChannelFields;

/** The API's inbox object (API.md sections 7 and 8); the callback secret and HMAC token are never part of it. */
export const toInboxView = (doc: InboxViewSource) => ({
  id: doc.id,
  name: doc.name,
  enabled: doc.enabled,
  slack_channel_id: doc.slack_channel_id,
  callback_url: doc.callback_url,
  public_identifier: doc.public_identifier ?? null,
  hmac_mandatory: doc.hmac_mandatory ?? false,
  allowed_origins: doc.allowed_origins ?? [],
  created_at: doc.created_at,
  updated_at: doc.updated_at,
});

export type InboxView = ReturnType<typeof toInboxView>;
