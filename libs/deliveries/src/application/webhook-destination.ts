import { DomainError } from '@ledgerdesk/shared';
import { assertSafeDestinationUrl, UnsafeDestinationError } from '../infrastructure/destination-safety';

/** Injection token of the WebhookDestinationPolicy the process runs with. */
export const WEBHOOK_DESTINATION_POLICY = Symbol('WEBHOOK_DESTINATION_POLICY');

export interface WebhookDestinationPolicy {
  /** env WEBHOOK_ALLOW_PRIVATE_NETWORKS: loopback, link-local and private addresses are allowed. */
  allowPrivateNetworks: boolean;
}

/** A webhook URL as stored (normalised), or a 400 naming `url` when it is not http(s) or not allowed. */
export function safeWebhookUrl(url: string, policy: WebhookDestinationPolicy): string {
  try {
    return assertSafeDestinationUrl(url, policy.allowPrivateNetworks);
  } catch (error) {
    if (error instanceof UnsafeDestinationError) throw new DomainError('VALIDATION', `url ${error.message}`, { url: [error.message] });
    throw error;
  }
}
