import { CableConnection, type CableEvent } from './cable.connection';
import { ChatView, type ShownMessage } from './chat.view';
import { ClientApi, ClientApiError, randomId, type Conversation, type Message } from './client-api';
import { emptySession, SessionStore, type PendingMessage, type SessionState } from './session.store';

export interface IdentifyOptions {
  identifier: string;
  identifier_hash: string;
  name?: string;
  email?: string;
}

const RETRY_CEILING_MS = 15_000;
const TYPING_SHOWN_MS = 20_000;
const TYPING_REPEAT_MS = 8_000;
const TYPING_IDLE_MS = 3_000;

/**
 * The widget's behaviour: one contact session per inbox (created on the first message, kept in
 * localStorage), the newest conversation of that session, a queue of messages that are re-sent
 * under the same Idempotency-Key until acknowledged, and /cable for what agents write.
 */
export class ChatWidget {
  private state: SessionState;
  private readonly messages = new Map<string, Message>();
  private readonly failed: PendingMessage[] = [];
  private readonly cable: CableConnection;
  private readonly view: ChatView;
  private flushing = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryAttempt = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private typingSentAt = 0;
  private typingIdleTimer: ReturnType<typeof setTimeout> | undefined;
  private identityChange: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: ClientApi,
    private readonly store: SessionStore,
    cableUrl: string,
  ) {
    this.state = store.load();
    this.view = new ChatView({ onSend: (text) => this.send(text), onInput: () => this.contactTyping(), onOpen: () => this.refresh() });
    this.cable = new CableConnection(cableUrl, {
      subscription: () => (this.state.pubsub_token ? { pubsub_token: this.state.pubsub_token, after: this.state.position } : null),
      onSubscribed: (position) => this.subscribed(position),
      onEvent: (event) => this.event(event),
      onState: (state) => this.view.setConnection(state),
      onUnauthorized: () => this.forgetSession(),
      // Subscribed again from the head, the widget reads what it missed over HTTP (subscribed).
      onRefused: () => {
        this.state.position = null;
        this.save();
      },
    });
    window.addEventListener('online', () => this.flush());
  }

  mount(): void {
    (document.body ?? document.documentElement).append(this.view.host);
    this.render();
    this.api.inbox().then(
      (inbox) => this.view.setTitle(inbox.name),
      () => undefined,
    );
    if (this.state.source_id) {
      this.cable.start();
      void this.refresh();
    }
    if (this.state.pending.length > 0) void this.flush();
  }

  open(): void {
    this.view.setOpen(true);
    void this.refresh();
  }

  close(): void {
    this.view.setOpen(false);
  }

  /** Switches to a verified session (API.md section 9); the old session's unsent messages follow. */
  identify(options: IdentifyOptions): Promise<void> {
    const change = this.identityChange.then(async () => {
      if (!options || typeof options.identifier !== 'string' || typeof options.identifier_hash !== 'string') {
        throw new TypeError('Ledgerdesk.identify needs { identifier, identifier_hash }');
      }
      if (this.state.hmac_verified && this.state.identifier === options.identifier) return;
      const contact = await this.api.createContact(
        { identifier: options.identifier, identifier_hash: options.identifier_hash, name: options.name, email: options.email },
        randomId(),
      );
      this.adopt({
        ...emptySession(),
        source_id: contact.source_id,
        pubsub_token: contact.pubsub_token,
        hmac_verified: contact.hmac_verified,
        identifier: options.identifier,
      });
    });
    this.identityChange = change.catch(() => undefined);
    return change;
  }

  /** Forgets the session on this device (a user logging out of the host site). */
  reset(): void {
    this.adopt(emptySession());
  }

  private adopt(next: SessionState): void {
    next.pending = [...this.state.pending];
    this.state = next;
    this.messages.clear();
    this.save();
    this.render();
    if (next.pubsub_token) this.cable.restart();
    void this.refresh();
    void this.flush();
  }

  private forgetSession(): void {
    const pending = this.state.pending;
    this.state = { ...emptySession(), pending };
    this.messages.clear();
    this.save();
    this.render();
  }

  private save(): void {
    this.store.save(this.state);
  }

  private send(text: string): void {
    const pending: PendingMessage = { key: randomId(), echo_id: randomId(12), content: text };
    this.state.pending.push(pending);
    this.save();
    this.stopContactTyping();
    this.render();
    void this.flush();
  }

  /** Sends the queue in order; a retryable failure waits (backoff, or the browser coming online) and sends the same request again. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.retryTimer);
    try {
      await this.identityChange;
      while (this.state.pending.length > 0) {
        const pending = this.state.pending[0];
        try {
          await this.deliver(pending);
          this.retryAttempt = 0;
        } catch (error) {
          if (error instanceof ClientApiError && error.retryable) {
            const ceiling = Math.min(RETRY_CEILING_MS, 1000 * 2 ** this.retryAttempt++);
            this.retryTimer = setTimeout(() => void this.flush(), ceiling / 2 + Math.random() * (ceiling / 2));
            return;
          }
          if (error instanceof ClientApiError && error.status === 409 && this.state.conversation_id) {
            // The conversation takes no more messages (merged into another): this one starts a
            // new conversation, under a new key (this key's answer is the 409, kept).
            this.state.conversation_id = null;
            pending.key = randomId();
            this.save();
            continue;
          }
          if (error instanceof ClientApiError && error.status === 404 && this.state.source_id) {
            // The session is gone (an erased contact, a deleted inbox): start a new one.
            this.state = { ...emptySession(), pending: this.state.pending };
            this.messages.clear();
            continue;
          }
          this.failed.push(pending);
        }
        this.state.pending.shift();
        this.save();
        this.render();
      }
    } finally {
      this.flushing = false;
    }
  }

  private async deliver(pending: PendingMessage): Promise<void> {
    const message = { content: pending.content, echo_id: pending.echo_id };
    if (!this.state.source_id) {
      this.state.contact_key ??= randomId();
      this.save();
      const contact = await this.api.createContact({}, this.state.contact_key);
      Object.assign(this.state, { source_id: contact.source_id, pubsub_token: contact.pubsub_token, hmac_verified: contact.hmac_verified, contact_key: null });
      this.save();
      this.cable.start();
    }
    const sourceId = this.state.source_id!;
    if (!this.state.conversation_id) {
      const conversation = await this.api.createConversation(sourceId, message, pending.key);
      this.state.conversation_id = conversation.id;
      this.merge(conversation.messages ?? []);
      this.view.setNotice(null);
    } else {
      this.merge([await this.api.sendMessage(sourceId, this.state.conversation_id, message, pending.key)]);
    }
  }

  /** Reads the session's newest conversation and its messages: the history after a reload or a gap. */
  private async refresh(): Promise<void> {
    const sourceId = this.state.source_id;
    if (!sourceId) return;
    try {
      let conversationId = this.state.conversation_id;
      if (!conversationId) {
        const newest: Conversation | null = await this.api.newestConversation(sourceId);
        if (!newest || this.state.source_id !== sourceId) return;
        conversationId = this.state.conversation_id ??= newest.id;
        this.save();
      }
      const messages = await this.api.messages(sourceId, conversationId);
      if (this.state.source_id === sourceId && this.state.conversation_id === conversationId) this.merge(messages);
    } catch (error) {
      if (error instanceof ClientApiError && error.status === 404) this.forgetSession();
    }
  }

  private subscribed(position: number): void {
    // A first subscription starts at the head; what came before it is read over HTTP.
    if (this.state.position === null && Number.isFinite(position)) {
      this.state.position = position;
      this.save();
    }
    void this.refresh();
  }

  private event(frame: CableEvent): void {
    const data = frame.data ?? {};
    switch (frame.event) {
      case 'message.created':
      case 'message.updated': {
        const message = data as unknown as Message;
        if (!this.state.conversation_id) this.state.conversation_id = message.conversation_id;
        if (message.conversation_id === this.state.conversation_id) {
          if (message.message_type === 'outgoing') this.view.setTyping(null);
          this.merge([message]);
        }
        break;
      }
      case 'conversation.created':
        if (this.state.conversation_id !== data.id && typeof data.id === 'string') {
          this.state.conversation_id = data.id;
          this.messages.clear();
          void this.refresh();
        }
        break;
      case 'conversation.status_changed':
        if (data.id === this.state.conversation_id) {
          this.view.setNotice(data.status === 'solved' || data.status === 'closed' ? 'This conversation was resolved. Write to reopen it.' : null);
        }
        break;
      case 'conversation.typing_on':
      case 'conversation.typing_off': {
        const sender = data.sender as { type?: string; name?: string | null } | undefined;
        if (sender?.type === 'contact' || (this.state.conversation_id && data.conversation_id !== this.state.conversation_id)) break;
        clearTimeout(this.typingTimer);
        if (frame.event === 'conversation.typing_on') {
          this.view.setTyping(sender?.name || 'Support');
          this.typingTimer = setTimeout(() => this.view.setTyping(null), TYPING_SHOWN_MS);
        } else {
          this.view.setTyping(null);
        }
        break;
      }
    }
    if (typeof frame.position === 'number' && (this.state.position === null || frame.position > this.state.position)) this.state.position = frame.position;
    this.save();
  }

  private merge(messages: Message[]): void {
    for (const message of messages) if (message && typeof message.id === 'string') this.messages.set(message.id, message);
    this.render();
  }

  private render(): void {
    const shown: ShownMessage[] = [...this.messages.values()]
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))
      .map((m) => ({ key: m.id, content: m.content, type: m.message_type, author: m.sender?.name ?? null, state: 'sent' }));
    // A message whose echo arrived (HTTP answer or /cable) is shown once, as sent.
    const echoed = new Set([...this.messages.values()].map((m) => m.echo_id));
    for (const p of this.state.pending) {
      if (!echoed.has(p.echo_id)) shown.push({ key: p.echo_id, content: p.content, type: 'incoming', author: null, state: 'pending' });
    }
    for (const f of this.failed) shown.push({ key: f.echo_id, content: f.content, type: 'incoming', author: null, state: 'failed' });
    this.view.render(shown);
  }

  /** The contact's typing, for the agents: on while typing (repeated now and then), off after a pause. */
  private contactTyping(): void {
    const { source_id: sourceId, conversation_id: conversationId } = this.state;
    if (!sourceId || !conversationId) return;
    clearTimeout(this.typingIdleTimer);
    this.typingIdleTimer = setTimeout(() => this.stopContactTyping(), TYPING_IDLE_MS);
    if (Date.now() - this.typingSentAt < TYPING_REPEAT_MS) return;
    this.typingSentAt = Date.now();
    this.api.typing(sourceId, conversationId, true).catch(() => undefined);
  }

  private stopContactTyping(): void {
    clearTimeout(this.typingIdleTimer);
    const { source_id: sourceId, conversation_id: conversationId } = this.state;
    if (!this.typingSentAt || !sourceId || !conversationId) return;
    this.typingSentAt = 0;
    this.api.typing(sourceId, conversationId, false).catch(() => undefined);
  }
}
