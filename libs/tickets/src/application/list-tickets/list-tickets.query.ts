import type { TicketPriority, TicketStatus } from '../../domain/ticket.events';

export type TicketOrderBy = 'created_at' | 'updated_at' | 'priority' | 'ticket_number';

export interface ListTicketsCriteria {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  assigneeId?: string;
  customerId?: string;
  inboxId?: string;
  /** Internal (no HTTP filter): the tickets of one contact session (API channel). */
  sourceId?: string;
  unassigned?: boolean;
  tags?: string[];
  search?: string;
  createdAfter?: string;
  createdBefore?: string;
  updatedSince?: string;
  orderBy: TicketOrderBy;
  orderDir: 'asc' | 'desc';
  limit: number;
  cursor?: string;
  includeMerged?: boolean;
}

export class ListTicketsQuery {
  constructor(
    readonly workspaceId: string,
    readonly criteria: ListTicketsCriteria,
  ) {}
}
