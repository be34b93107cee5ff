export class GetInboxQuery {
  constructor(
    readonly workspaceId: string,
    readonly inboxId: string,
  ) {}
}
