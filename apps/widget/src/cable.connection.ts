/** A frame of /cable (API.md section 10) that the widget handles. */
export interface CableEvent {
  type: 'event';
  position?: number;
  event: string;
  data: Record<string, unknown>;
}

export interface CableHandlers {
  /** The subscription to send, or null when there is no session yet. */
  subscription(): { pubsub_token: string; after: number | null } | null;
  onSubscribed(position: number): void;
  onEvent(event: CableEvent): void;
  onState(state: 'connecting' | 'live' | 'offline'): void;
  onUnauthorized(): void;
  /** The server refused the subscription (4400): the position kept is not one of its log (a restored server). */
  onRefused(): void;
}

const MAX_BACKOFF_MS = 8_000;
/** The server pings at least every 30 s: a silent socket is a dead one. */
const SILENCE_LIMIT_MS = 45_000;

/**
 * One WebSocket to /cable, kept open: reconnects with jittered exponential backoff, at once when
 * the browser comes back online, and resumes with `after` so nothing sent meanwhile is lost.
 */
export class CableConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

  constructor(
    private readonly url: string,
    private readonly handlers: CableHandlers,
  ) {
    window.addEventListener('online', () => this.running && this.reconnectNow());
    // A socket the browser can no longer use may take long to notice it: drop it now.
    window.addEventListener('offline', () => this.socket?.close());
  }

  start(): void {
    this.running = true;
    if (!this.socket) this.reconnectNow();
  }

  /** Closes and opens again, e.g. for another session. */
  restart(): void {
    this.running = true;
    this.attempt = 0;
    this.drop();
    this.connect();
  }

  private reconnectNow(): void {
    this.attempt = 0;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
    this.connect();
  }

  private drop(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onopen = socket.onerror = null;
      socket.close();
    }
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    const subscription = this.handlers.subscription();
    if (!subscription) return;
    if (navigator.onLine === false) {
      this.handlers.onState('offline');
      return; // the online event reconnects
    }
    this.handlers.onState('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      const current = this.handlers.subscription() ?? subscription;
      const frame: Record<string, unknown> = { type: 'subscribe', pubsub_token: current.pubsub_token };
      if (current.after !== null) frame.after = current.after;
      socket.send(JSON.stringify(frame));
      this.heard();
    };
    socket.onmessage = (message) => {
      this.heard();
      let frame: { type?: string; position?: number; code?: string };
      try {
        frame = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (frame.type === 'subscribed') {
        this.attempt = 0;
        this.handlers.onState('live');
        this.handlers.onSubscribed(Number(frame.position));
      } else if (frame.type === 'event') {
        this.handlers.onEvent(frame as CableEvent);
      } else if (frame.type === 'error' && frame.code === 'UNAUTHORIZED') {
        this.running = false;
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.silenceTimer);
      if (event.code === 4401) {
        this.running = false;
        this.handlers.onUnauthorized();
        return;
      }
      if (!this.running) return;
      this.handlers.onState('offline');
      if (event.code === 4400) this.handlers.onRefused();
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => this.connect(), ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private heard(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.socket?.close(), SILENCE_LIMIT_MS);
  }
}
