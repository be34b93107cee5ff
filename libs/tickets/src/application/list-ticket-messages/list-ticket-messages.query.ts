export interface ListTicketMessagesCriteria {
  limit: number;
  cursor?: string;
}

/** A ticket's public messages, oldest first, as the API channel shows them (client API, API.md section 9). */
export class ListTicketMessagesQuery {
  constructor(
    readonly workspaceId: string,
    readonly ticketId: string,
    readonly criteria: ListTicketMessagesCriteria,
  ) {}
}
