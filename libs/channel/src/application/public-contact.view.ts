import type { ContactSession } from './contact-session.view';

/** The inbox a public client API request names (resolved from its public_identifier by the caller). */
export interface PublicInbox {
  workspaceId: string;
  inboxId: string;
}

/** What a contact may give about itself (POST and PATCH /contacts); `customAttributes` are the customer's custom fields. */
export interface PublicContactProfile {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  customAttributes?: Record<string, unknown>;
}

/** The contact object of the client API (API.md section 9). */
export interface PublicContactView {
  source_id: string;
  pubsub_token: string;
  id: string;
  name: string | null;
  /** The customer's email, else the one a contact typed (claimed_email). */
  email: string | null;
  hmac_verified: boolean;
}

export interface PublicContactResult {
  contact: PublicContactView;
  /** Log position of the last event written (null: nothing written). */
  position: number | null;
}

export const toPublicContact = (
  session: ContactSession,
  customer: { name: string | null; email: string | null; claimed_email: string | null },
): PublicContactView => ({
  source_id: session.source_id,
  pubsub_token: session.pubsub_token,
  id: session.customer_id,
  name: customer.name,
  email: customer.email ?? customer.claimed_email,
  hmac_verified: session.hmac_verified,
});

/**
 * A contact's own changes, in the customers context's words. An email typed into a public
 * client is only ever a claimed email: nobody verified it (the identifier hash covers the
 * identifier alone), so it never becomes the customer's unique, matched `email`.
 */
export function customerChangesOf(profile: PublicContactProfile) {
  const changes: { name?: string | null; phone?: string | null; claimed_email?: string | null; custom_fields?: Record<string, unknown> } = {};
  if (profile.name !== undefined) changes.name = profile.name;
  if (profile.phone !== undefined) changes.phone = profile.phone;
  if (profile.email !== undefined) changes.claimed_email = profile.email;
  if (profile.customAttributes !== undefined) changes.custom_fields = profile.customAttributes;
  return changes;
}
