import { createHash } from 'node:crypto';

/**
 * A contact session (ChannelX's "contact inbox"): one customer on one inbox, named by its
 * `source_id`. `pubsub_token` (the real-time credential) is sealed (SecretBox) before the append.
 */
export interface ContactSessionOpenedData {
  source_id: string;
  workspace_id: string;
  customer_id: string;
  inbox_id: string;
  hmac_verified: boolean;
  pubsub_token: string;
}

export type ContactSessionEvent = { type: 'ContactSessionOpened'; data: ContactSessionOpenedData };

export const CONTACT_SESSION_EVENT_TYPES: ReadonlySet<string> = new Set<ContactSessionEvent['type']>(['ContactSessionOpened']);

/**
 * A session's stream is named by a hash of its source_id: the session is found from the
 * credential with one consistent stream read (no read-model lag), and the stream id, which
 * logs and exports print, does not reveal the credential.
 */
export const contactSessionStreamId = (sourceId: string) => `contact-session-${createHash('sha256').update(sourceId).digest('hex')}`;
