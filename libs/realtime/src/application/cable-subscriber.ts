import { CLOSE_TOO_SLOW, CLOSE_UNAUTHORIZED, LIMITS } from '../domain/cable-protocol';
import {
  endsLiveSubscription,
  endsSubscription,
  framesFor,
  typingEventName,
  typingReaches,
  type Audience,
  type CableEvent,
  type EventFrame,
  type TypingSignal,
} from '../domain/audience';
import { ResumeGate } from '../domain/resume-gate';

/** The transport side of one socket (apps/api's WebSocket), so the hub needs no WebSocket library. */
export interface CableSocket {
  /** A text frame (a Buffer holds its UTF-8 bytes, shared by many sockets). */
  send(text: string | Buffer): void;
  /** Frames sent that the client has not read yet (or not written out: whichever is more). */
  unreadFrames(): number;
  /** Resolves once at most `maxUnread` frames are unread (or the socket closed); polled when absent. */
  whenRead?(maxUnread: number): Promise<void>;
  close(code: number, reason: string): void;
  readonly closed: boolean;
}

/**
 * A live event's frames are shared by every subscriber that gets the same frame: a fan-out to
 * many sockets serialises and encodes each frame once. A replay's frames go to one socket: sent
 * as strings, which the socket encodes straight into its corked write (no Buffer per frame).
 */
const encoded = new WeakMap<object, Buffer>();
function sharedFrame(position: number, frame: EventFrame): Buffer {
  let bytes = encoded.get(frame);
  if (bytes === undefined) {
    bytes = Buffer.from(frameText(position, frame));
    encoded.set(frame, bytes);
  }
  return bytes;
}

/**
 * How long a subscriber found 1,000 frames behind has to show it read them before it is closed:
 * the client's pongs for frames just sent (one turn of the loop may send a replay's last page
 * and the live events buffered meanwhile) are read on a later turn.
 */
const BEHIND_GRACE_MS = 1_000;

const frameText = (position: number, frame: EventFrame): string => JSON.stringify({ type: 'event', position, event: frame.event, data: frame.data });

/** One subscribed socket: its audience, its resume gate, and the "too far behind" rule. */
export class CableSubscriber {
  readonly gate: ResumeGate<CableEvent>;
  /** Visible events sent and not yet read are counted by the socket; this counts those still buffered. */
  private bufferedVisible = 0;
  private behindCheck: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly audience: Audience,
    readonly socket: CableSocket,
    after: number,
    /** Counts frames sent (metrics, bench). */
    private readonly onSent: (frames: number) => void = () => undefined,
  ) {
    this.gate = new ResumeGate<CableEvent>(after);
  }

  /** A live event from the hub's tail. */
  deliverLive(event: CableEvent): void {
    if (this.socket.closed) return;
    if (endsLiveSubscription(this.audience, event)) return this.end(CLOSE_UNAUTHORIZED, 'Session ended');
    if (!this.gate.isLive) {
      if (framesFor(this.audience, event).length > 0 && ++this.bufferedVisible > LIMITS.maxEventsBehind) return this.tooSlow();
      this.gate.offerLive(event);
      return;
    }
    this.sendEvents(this.gate.offerLive(event), true);
  }

  /** A replayed page (resume): sends what this subscriber sees. */
  deliverReplayed(events: CableEvent[]): void {
    this.sendEvents(this.gate.replayed(events), false);
  }

  goLive(): void {
    this.sendEvents(this.gate.goLive(), true);
    this.bufferedVisible = 0;
  }

  deliverTyping(signal: TypingSignal): void {
    if (this.socket.closed || !this.gate.isLive || !typingReaches(this.audience, signal)) return;
    this.send(
      JSON.stringify({ type: 'event', event: typingEventName(signal.status), data: { conversation_id: signal.ticket.ticket_id, sender: signal.sender } }),
    );
  }

  send(text: string | Buffer): void {
    if (this.socket.closed) return;
    this.socket.send(text);
    this.onSent(1);
  }

  end(code: number, reason: string): void {
    if (this.socket.closed) return;
    if (code === CLOSE_UNAUTHORIZED) this.socket.send(JSON.stringify({ type: 'error', code: 'UNAUTHORIZED' }));
    this.socket.close(code, reason);
  }

  /** `shared`: the events' frames may go to other sockets too (live), else to this one only (replay). */
  private sendEvents(events: CableEvent[], shared: boolean): void {
    for (const event of events) {
      if (this.socket.closed) return;
      if (shared ? endsLiveSubscription(this.audience, event) : endsSubscription(this.audience, event)) return this.end(CLOSE_UNAUTHORIZED, 'Session ended');
      for (const frame of framesFor(this.audience, event)) this.send(shared ? sharedFrame(event.position, frame) : frameText(event.position, frame));
    }
    // Live frames the client does not read pile up: past the limit the subscriber resumes later.
    if (this.gate.isLive && this.socket.unreadFrames() > LIMITS.maxEventsBehind) this.tooSlowUnlessItCatchesUp();
  }

  private tooSlowUnlessItCatchesUp(): void {
    if (this.behindCheck) return;
    this.behindCheck = setTimeout(() => {
      this.behindCheck = null;
      if (this.socket.unreadFrames() > LIMITS.maxEventsBehind) this.tooSlow();
    }, BEHIND_GRACE_MS);
  }

  private tooSlow(): void {
    this.socket.close(CLOSE_TOO_SLOW, 'Too far behind: resume with after');
  }
}
