/** The inbox's HMAC token in clear (null: no such inbox, or one from before tokens existed). */
export class GetInboxHmacTokenQuery {
  constructor(readonly inboxId: string) {}
}
