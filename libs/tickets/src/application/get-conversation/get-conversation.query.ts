export class GetConversationQuery {
  constructor(
    readonly workspaceId: string,
    readonly conversationId: string,
  ) {}
}
