import { nameBasedIds } from '@ledgerdesk/shared';

/** Fixed namespace for Ledgerdesk customer ids (a random UUID chosen once). */
const customerIds = nameBasedIds('6f1d3c8e-4a55-4b8e-9d3e-2f7a1c0b9e41');

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * A customer's id is derived from (workspace, lower-cased email), so two concurrent
 * "find or create" calls for one email target the same stream and cannot create duplicates.
 */
export const customerIdFor = (workspaceId: string, email: string) => customerIds(`${workspaceId}:${normalizeEmail(email)}`);

export const customerStreamId = (customerId: string) => `customer-${customerId}`;

/** Namespace of ids derived from an identifier (distinct from the emails', so the two never meet). */
const identifiedCustomerIds = nameBasedIds('c2b7e0a4-1f3d-4c6a-8e59-7d0b3a6f2e18');

/**
 * The first id of the customer an identifier names (a verified chat contact), derived like the
 * email's, so two devices opening the first sessions of one person at once create one customer.
 */
export const customerIdForIdentifier = (workspaceId: string, identifier: string) => identifiedCustomerIds(`${workspaceId}:${identifier}`);
