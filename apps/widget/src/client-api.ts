/** Shapes of the client API (API.md sections 8 and 9) that the widget reads. */
export interface Sender {
  id: string | null;
  name: string | null;
  type: 'contact' | 'user' | 'system';
}

export interface Message {
  id: string;
  content: string;
  message_type: 'incoming' | 'outgoing' | 'activity';
  conversation_id: string;
  sender: Sender;
  echo_id: string | null;
  created_at: string;
}

export interface Conversation {
  id: string;
  status: string;
  messages?: Message[];
  created_at: string;
}

export interface Contact {
  source_id: string;
  pubsub_token: string;
  hmac_verified: boolean;
}

interface Page<T> {
  data: T[];
  meta: { next_cursor: string | null };
}

/** A refused request. `status` 0: the network failed (offline, connection reset). */
export class ClientApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The answer said when to try again (a 409 while the first attempt still runs, a 429). */
    readonly retryAfter = false,
  ) {
    super(message);
  }

  /**
   * Worth sending again with the same Idempotency-Key: nothing was decided yet, or it may have
   * been. A 409 without Retry-After is the key's kept answer: sending again gets it again.
   */
  get retryable(): boolean {
    return this.status === 0 || (this.status === 409 && this.retryAfter) || this.status === 429 || this.status >= 500;
  }
}

/** Random hex: crypto.randomUUID needs a secure context, which a shop page may not be. */
export function randomId(bytes = 16): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (b) => b.toString(16).padStart(2, '0')).join('');
}

const MAX_HISTORY_PAGES = 20;

/** The client API of one inbox: `/public/api/v1/inboxes/{public_identifier}` on Ledgerdesk's origin. */
export class ClientApi {
  private readonly base: string;

  constructor(origin: string, inbox: string) {
    this.base = `${origin}/public/api/v1/inboxes/${encodeURIComponent(inbox)}`;
  }

  inbox(): Promise<{ name: string; hmac_mandatory: boolean }> {
    return this.call('GET', '');
  }

  createContact(body: Record<string, string | undefined>, idempotencyKey: string): Promise<Contact> {
    return this.call('POST', '/contacts', body, idempotencyKey);
  }

  createConversation(sourceId: string, message: { content: string; echo_id: string }, idempotencyKey: string): Promise<Conversation> {
    return this.call('POST', `/contacts/${sourceId}/conversations`, { message }, idempotencyKey);
  }

  async newestConversation(sourceId: string): Promise<Conversation | null> {
    const page = await this.call<Page<Conversation>>('GET', `/contacts/${sourceId}/conversations?limit=1`, undefined, undefined, true);
    return page.data[0] ?? null;
  }

  sendMessage(sourceId: string, conversationId: string, message: { content: string; echo_id: string }, idempotencyKey: string): Promise<Message> {
    return this.call('POST', `/contacts/${sourceId}/conversations/${conversationId}/messages`, message, idempotencyKey);
  }

  typing(sourceId: string, conversationId: string, on: boolean): Promise<void> {
    return this.call('POST', `/contacts/${sourceId}/conversations/${conversationId}/toggle_typing`, { typing_status: on ? 'on' : 'off' });
  }

  /** Every message of a conversation, oldest first. */
  async messages(sourceId: string, conversationId: string): Promise<Message[]> {
    const all: Message[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const query: string = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const answer: Page<Message> = await this.call(
        'GET',
        `/contacts/${sourceId}/conversations/${conversationId}/messages${query}`,
        undefined,
        undefined,
        true,
      );
      all.push(...answer.data);
      cursor = answer.meta.next_cursor;
      if (!cursor) break;
    }
    return all;
  }

  private async call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string, whole = false): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    let response: Response;
    try {
      response = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
    } catch (error) {
      throw new ClientApiError(0, 'NETWORK', error instanceof Error ? error.message : 'network error');
    }
    if (response.status === 204) return undefined as T;
    const json = await response.json().catch(() => null);
    if (!response.ok) {
      const error = json?.error ?? {};
      throw new ClientApiError(response.status, error.code ?? 'ERROR', error.message ?? `HTTP ${response.status}`, response.headers.has('retry-after'));
    }
    return (whole ? json : json?.data) as T;
  }
}
