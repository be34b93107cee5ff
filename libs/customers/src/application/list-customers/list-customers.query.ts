export type CustomerOrderBy = 'created_at' | 'updated_at' | 'email';

export interface ListCustomersCriteria {
  email?: string;
  /** Case-insensitive substring of name or email. */
  search?: string;
  phone?: string;
  orderBy: CustomerOrderBy;
  orderDir: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

export class ListCustomersQuery {
  constructor(
    readonly workspaceId: string,
    readonly criteria: ListCustomersCriteria,
  ) {}
}
