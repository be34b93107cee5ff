import type { ContactInboxView } from '@ledgerdesk/customers';
import type { ContactSessionState } from '../domain/contact-session.decider';

/** A contact session as the other use cases see it: `pubsub_token` in clear. */
export interface ContactSession {
  source_id: string;
  workspace_id: string;
  customer_id: string;
  inbox_id: string;
  hmac_verified: boolean;
  pubsub_token: string;
  created_at: string;
}

/** The session from its stream's state; `open` unseals the pubsub token. */
export function contactSessionOf(state: ContactSessionState, open: (sealed: string) => string): ContactSession {
  if (!state.exists || !state.sourceId || !state.workspaceId || !state.customerId || !state.inboxId || !state.pubsubToken || !state.createdAt) {
    throw new Error('A contact session view needs an opened session');
  }
  return {
    source_id: state.sourceId,
    workspace_id: state.workspaceId,
    customer_id: state.customerId,
    inbox_id: state.inboxId,
    hmac_verified: state.hmacVerified,
    pubsub_token: open(state.pubsubToken),
    created_at: state.createdAt,
  };
}

/** The entry of the customer object's `contact_inboxes` (API.md section 8). */
export const toContactInbox = (session: ContactSession): ContactInboxView => ({
  inbox_id: session.inbox_id,
  source_id: session.source_id,
  hmac_verified: session.hmac_verified,
  created_at: session.created_at,
});
