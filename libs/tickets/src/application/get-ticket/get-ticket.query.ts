export class GetTicketQuery {
  constructor(
    readonly workspaceId: string,
    readonly ticketId: string,
  ) {}
}
