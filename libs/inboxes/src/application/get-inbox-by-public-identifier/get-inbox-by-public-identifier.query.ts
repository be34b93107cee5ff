/** The inbox a public identifier names (client API, API.md section 9), or null. */
export class GetInboxByPublicIdentifierQuery {
  constructor(readonly publicIdentifier: string) {}
}

export interface PublicInbox {
  id: string;
  workspace_id: string;
  name: string;
  enabled: boolean;
  deleted?: boolean;
  hmac_mandatory: boolean;
  allowed_origins: string[];
  public_identifier: string;
}
