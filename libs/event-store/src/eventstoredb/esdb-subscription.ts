import type { AllStreamResolvedEvent, AllStreamSubscription } from '@kurrent/kurrentdb-client';
import type { RecordedEvent, Subscription } from '../event-store.port';
import { isSystemEvent, toRecordedEvent } from './esdb-event.mapper';
import { translateEsdbError } from './esdb-error.translator';

/**
 * Wraps the client's catch-up subscription. Its Readable does not always end when the
 * gRPC call is cancelled, so every `next()` races a "closed" signal: `close()` must end
 * a pending iteration promptly. Events at or below the last delivered position are
 * dropped, so a resume from a checkpoint can never deliver a duplicate.
 */
export class EsdbSubscription implements Subscription {
  private closed = false;
  private signalClosed!: () => void;
  private readonly closedSignal = new Promise<'closed'>((resolve) => {
    this.signalClosed = () => resolve('closed');
  });

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly afterPosition: number,
  ) {
    // Errors surface through the iterator; this keeps an early error from being unhandled.
    source.on('error', () => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    const iterator = this.source[Symbol.asyncIterator]();
    let cursor = this.afterPosition;
    while (!this.closed) {
      let step: IteratorResult<AllStreamResolvedEvent> | 'closed';
      try {
        step = await Promise.race([iterator.next(), this.closedSignal]);
      } catch (error) {
        if (this.closed) return;
        throw translateEsdbError(error);
      }
      if (step === 'closed' || step.done) return;
      const event = step.value.event;
      if (!event || isSystemEvent(event)) continue;
      const recorded = toRecordedEvent(event);
      if (recorded.position <= cursor) continue;
      cursor = recorded.position;
      yield recorded;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signalClosed();
    await this.source.unsubscribe();
    this.source.destroy();
  }
}
