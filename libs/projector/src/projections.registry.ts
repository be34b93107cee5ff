import type { Projection } from '@ledgerdesk/event-sourcing';
import { customersProjection } from '@ledgerdesk/customers';
import { inboxesProjection } from '@ledgerdesk/inboxes';
import { ticketsProjection } from '@ledgerdesk/tickets';
import { workspacesProjection } from '@ledgerdesk/workspaces';
import { usersProjection } from '@ledgerdesk/users';
import { tagsProjection } from '@ledgerdesk/tags';
import { articlesProjection } from '@ledgerdesk/articles';

/** Every read model the projector maintains. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  workspacesProjection,
  customersProjection,
  ticketsProjection,
  inboxesProjection,
  usersProjection,
  tagsProjection,
  articlesProjection,
];
