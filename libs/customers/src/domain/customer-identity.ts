import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace for Ledgerdesk customer ids (a random UUID chosen once). */
const CUSTOMER_NAMESPACE = '6f1d3c8e-4a55-4b8e-9d3e-2f7a1c0b9e41';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * A customer's id is derived from (workspace, lower-cased email), so two concurrent
 * "find or create" calls for one email target the same stream and cannot create duplicates.
 */
export const customerIdFor = (workspaceId: string, email: string) => uuidv5(`${workspaceId}:${normalizeEmail(email)}`, CUSTOMER_NAMESPACE);

export const customerStreamId = (customerId: string) => `customer-${customerId}`;
