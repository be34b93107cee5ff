export class GetTicketEventsQuery {
  constructor(
    readonly workspaceId: string,
    readonly ticketId: string,
    readonly verify: boolean,
  ) {}
}
