import type { InboxDocument } from '../projections/inboxes.projection';

/** The API's inbox object (API.md section 7); the callback secret is never part of it. */
export const toInboxView = (doc: Pick<InboxDocument, 'id' | 'name' | 'enabled' | 'slack_channel_id' | 'callback_url' | 'created_at' | 'updated_at'>) => ({
  id: doc.id,
  name: doc.name,
  enabled: doc.enabled,
  slack_channel_id: doc.slack_channel_id,
  callback_url: doc.callback_url,
  created_at: doc.created_at,
  updated_at: doc.updated_at,
});

export type InboxView = ReturnType<typeof toInboxView>;
