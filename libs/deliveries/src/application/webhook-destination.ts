import { DomainError } from '@ledgerdesk/shared';
import { assertSafeDestinationUrl, UnsafeDestinationError } from '../infrastructure/destination-safety';

/** Injection token of the WebhookDestinationPolicy the process runs with. */
export const WEBHOOK_DESTINATION_POLICY = Symbol('WEBHOOK_DESTINATION_POLICY');

export interface WebhookDestinationPolicy {
  /** env WEBHOOK_ALLOW_PRIVATE_NETWORKS: loopback, link-local and private addresses are allowed. */
  allowPrivateNetworks: boolean;
}

/**
 * The one check of every outgoing destination, webhook URLs and inbox callback URLs alike: the
 * URL as stored (normalised), or a 400 naming `field` when it is not http(s) or not allowed.
 */
export function safeDestinationUrl(url: string, policy: WebhookDestinationPolicy, field: string): string {
  try {
    return assertSafeDestinationUrl(url, policy.allowPrivateNetworks);
  } catch (error) {
    if (error instanceof UnsafeDestinationError) throw new DomainError('VALIDATION', `${field} ${error.message}`, { [field]: [error.message] });
    throw error;
  }
}

/** A webhook URL as stored (normalised), or a 400 naming `url` (see safeDestinationUrl). */
export const safeWebhookUrl = (url: string, policy: WebhookDestinationPolicy): string => safeDestinationUrl(url, policy, 'url');
