export interface ListConversationsCriteria {
  ticketId?: string;
  type?: 'reply' | 'note' | 'system';
  internal?: boolean;
  orderDir: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

export class ListConversationsQuery {
  constructor(
    readonly workspaceId: string,
    readonly criteria: ListConversationsCriteria,
  ) {}
}
