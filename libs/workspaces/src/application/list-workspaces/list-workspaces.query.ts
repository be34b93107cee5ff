export class ListWorkspacesQuery {
  constructor(
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}
