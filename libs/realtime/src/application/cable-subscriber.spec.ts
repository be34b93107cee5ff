import { CLOSE_TOO_SLOW, LIMITS } from '../domain/cable-protocol';
import type { Audience, CableEvent } from '../domain/audience';
import { CableSubscriber, type CableSocket } from './cable-subscriber';

const staff: Audience = { kind: 'staff', workspaceId: 'w1', keyId: 'k1' };

/** A socket whose client has read `read` of the frames sent to it. */
class FakeSocket implements CableSocket {
  sent = 0;
  read = 0;
  closedWith: number | null = null;
  send(): void {
    this.sent++;
  }
  unreadFrames(): number {
    return this.sent - this.read;
  }
  close(code: number): void {
    this.closedWith ??= code;
  }
  get closed(): boolean {
    return this.closedWith !== null;
  }
}

const event = (position: number): CableEvent => ({
  position,
  workspaceId: 'w1',
  staff: { event: 'ticket.message.created', data: {} },
  contact: null,
  erasedCustomerId: null,
  disabledInboxId: null,
});

describe('a live subscriber 1,000 events behind (API.md section 10: closed with 4008)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const liveSubscriber = (socket: FakeSocket) => {
    const subscriber = new CableSubscriber(staff, socket, 0);
    subscriber.goLive();
    return subscriber;
  };
  const sendBurst = (subscriber: CableSubscriber) => {
    for (let p = 1; p <= LIMITS.maxEventsBehind + 50; p++) subscriber.deliverLive(event(p));
  };

  it('is closed with 4008 when it has not read them a moment later', () => {
    const socket = new FakeSocket();
    sendBurst(liveSubscriber(socket));
    expect(socket.closedWith).toBeNull();
    jest.advanceTimersByTime(1_000);
    expect(socket.closedWith).toBe(CLOSE_TOO_SLOW);
  });

  it('stays open when it reads them meanwhile: its acknowledgements come on a later turn than one burst', () => {
    const socket = new FakeSocket();
    sendBurst(liveSubscriber(socket));
    socket.read = socket.sent - 10;
    jest.advanceTimersByTime(1_000);
    expect(socket.closedWith).toBeNull();
  });
});
