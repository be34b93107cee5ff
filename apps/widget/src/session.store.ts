/** A message typed but not yet acknowledged: re-sent with the same Idempotency-Key until it is. */
export interface PendingMessage {
  key: string;
  echo_id: string;
  content: string;
}

/** What the widget keeps per inbox in localStorage, so a reload resumes where it was. */
export interface SessionState {
  source_id: string | null;
  pubsub_token: string | null;
  hmac_verified: boolean;
  identifier: string | null;
  /** Idempotency-Key of the contact creation in flight: a retry after a reload finds the same session. */
  contact_key: string | null;
  conversation_id: string | null;
  /** The last log position seen over /cable: the next subscription resumes after it. */
  position: number | null;
  pending: PendingMessage[];
}

export const emptySession = (): SessionState => ({
  source_id: null,
  pubsub_token: null,
  hmac_verified: false,
  identifier: null,
  contact_key: null,
  conversation_id: null,
  position: null,
  pending: [],
});

/** localStorage under one key per inbox; a page that forbids storage still works for the visit. */
export class SessionStore {
  private readonly key: string;

  constructor(inbox: string) {
    this.key = `ledgerdesk:widget:${inbox}`;
  }

  load(): SessionState {
    try {
      const raw = window.localStorage.getItem(this.key);
      if (raw) return { ...emptySession(), ...(JSON.parse(raw) as Partial<SessionState>) };
    } catch {
      // storage unavailable or corrupt: start afresh
    }
    return emptySession();
  }

  save(state: SessionState): void {
    try {
      window.localStorage.setItem(this.key, JSON.stringify(state));
    } catch {
      // storage full or forbidden: the session lasts for this page only
    }
  }
}
