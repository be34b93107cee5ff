import type { Projection } from '@ledgerdesk/event-sourcing';
import { customersProjection } from '@ledgerdesk/customers';
import { ticketsProjection } from '@ledgerdesk/tickets';
import { workspacesProjection } from '@ledgerdesk/workspaces';

/** Every read model the projector maintains. */
export const ALL_PROJECTIONS: readonly Projection[] = [workspacesProjection, customersProjection, ticketsProjection];
