export class GetCustomerQuery {
  constructor(
    readonly workspaceId: string,
    readonly customerId: string,
  ) {}
}
