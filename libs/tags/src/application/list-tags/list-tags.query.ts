export interface ListTagsCriteria {
  search?: string;
  orderBy: 'created_at' | 'name';
  orderDir: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

export class ListTagsQuery {
  constructor(
    readonly workspaceId: string,
    readonly criteria: ListTagsCriteria,
  ) {}
}
