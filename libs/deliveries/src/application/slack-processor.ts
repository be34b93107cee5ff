import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ErrorCode, WebClient, type WebAPICallError } from '@slack/web-api';
import type { EventStore } from '@ledgerdesk/event-store';
import type { CommandRunner } from '@ledgerdesk/event-sourcing';
import { openSecret, systemContext } from '@ledgerdesk/shared';
import { slackIntegrationDecider } from '../domain/slack-integration.decider';
import { slackIntegrationStreamId } from '../domain/slack-integration.events';
import { PERMANENT_SLACK_ERRORS } from '../domain/slack-posting';
import { slackThreadDecider, slackThreadStreamId, type SlackThreadLinkedData } from '../domain/slack-thread.decider';
import type { DeliveryAttempt, DeliveryLog, DeliveryRecord } from '../infrastructure/delivery-log';
import type { DeliveryJobData } from '../infrastructure/queues';
import { retryDelay } from '../infrastructure/webhook-sender';
import { DeliveryProcessor, type AttemptOutcome, type AttemptResult } from './delivery-processor';
import { CustomerErasures } from './customer-erasure';
import { CurrentFolds } from './stream-folds';

export interface SlackProcessorOptions {
  slackApiUrl: string;
  retryScheduleMs: readonly number[];
  /** Minimum spacing of posts to one channel (Slack allows about one a second). */
  channelIntervalMs?: number;
  timeoutMs?: number;
}

const rateKey = (channel: string) => `ld:slack:rate:${channel}`;

/** What the dispatcher plans for Slack; a root post also has the text to post if its customer is erased by then. */
interface SlackPayload {
  channel: string;
  text: string;
  root: boolean;
  ticket_id: string;
  customer_id?: string;
  erased_text?: string;
}

/**
 * Slack threads: the ticket's root `chat.postMessage`, then replies with its `thread_ts`.
 * The root's ts is recorded as `SlackThreadLinked` in `slack-thread-<ticket id>`. Replies come
 * after the root by the per-ticket ordering; a reply that finds no thread (the root failed for
 * good) fails too, it is never posted as a root. Posts to one channel are spaced by a Redis
 * key with a 1 s expiry (shared by all worker processes); a Slack 429 extends that pause to
 * its Retry-After for the whole channel.
 */
export class SlackProcessor extends DeliveryProcessor {
  private readonly interval: number;
  private readonly folds: CurrentFolds;
  private readonly erasures: CustomerErasures;

  constructor(
    log: DeliveryLog,
    queue: Queue<DeliveryJobData>,
    private readonly store: EventStore,
    private readonly redis: Redis,
    private readonly runner: CommandRunner,
    private readonly options: SlackProcessorOptions,
  ) {
    super(log, queue);
    this.interval = options.channelIntervalMs ?? 1_000;
    this.folds = new CurrentFolds(store);
    this.erasures = new CustomerErasures(this.folds);
  }

  protected async attempt(record: DeliveryRecord): Promise<AttemptResult> {
    const payload = record.payload as unknown as SlackPayload;
    const { channel, root, ticket_id: ticketId } = payload;
    const started = new Date();
    const note = (error: string, kind: 'failed' | 'succeeded' = 'failed') => ({
      attempt: { at: started.toISOString(), response_status: null, duration_ms: 0, error } as DeliveryAttempt,
      outcome: { kind } as AttemptOutcome,
    });

    const integration = await this.folds.fold(slackIntegrationStreamId(record.workspace_id), slackIntegrationDecider);
    if (!integration.configured || !integration.bot_token) return note('slack_not_configured');

    const thread = await this.thread(ticketId);
    if (root && thread) return note('root already posted', 'succeeded');
    if (!root && !thread) return note('no_thread: the root post of this ticket was never recorded');

    // One post a second per channel, across all workers.
    const ok = await this.redis.set(rateKey(channel), '1', 'PX', this.interval, 'NX');
    if (!ok) {
      const ttl = await this.redis.pttl(rateKey(channel));
      return { park: Math.max(50, ttl) };
    }

    // A root post names the customer: not once they are erased, however late it goes out.
    const text = payload.erased_text && payload.customer_id && (await this.erasures.isErased(payload.customer_id)) ? payload.erased_text : payload.text;
    const client = new WebClient(openSecret(integration.bot_token), {
      slackApiUrl: this.options.slackApiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: this.options.timeoutMs ?? 10_000,
    });
    try {
      const response = await client.chat.postMessage({
        channel: thread?.channel_id ?? channel,
        text,
        ...(thread ? { thread_ts: thread.ts } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      const attempt: DeliveryAttempt = { at: started.toISOString(), response_status: 200, duration_ms: Date.now() - started.getTime(), error: null };
      if (root && response.ts) {
        const data: SlackThreadLinkedData = { ticket_id: ticketId, channel_id: (response.channel as string) ?? channel, ts: response.ts };
        await this.runner.run(slackThreadStreamId(ticketId), slackThreadDecider, data, systemContext(record.workspace_id));
      }
      return { attempt, outcome: { kind: 'succeeded' } };
    } catch (error) {
      const e = error as WebAPICallError;
      const attempt: DeliveryAttempt = { at: started.toISOString(), response_status: null, duration_ms: Date.now() - started.getTime(), error: e.message };
      if (e.code === ErrorCode.RateLimitedError) {
        const retryAfterMs = e.retryAfter * 1000;
        await this.redis.set(rateKey(channel), '1', 'PX', Math.max(retryAfterMs, 1));
        attempt.response_status = 429;
        return { attempt, outcome: { kind: 'retry', delayMs: retryDelay(this.options.retryScheduleMs, record.round_attempts, retryAfterMs) } };
      }
      if (e.code === ErrorCode.PlatformError) {
        attempt.response_status = 200;
        attempt.error = e.data.error;
        if (PERMANENT_SLACK_ERRORS.has(e.data.error)) return { attempt, outcome: { kind: 'failed' } };
      }
      if (e.code === ErrorCode.HTTPError) attempt.response_status = e.statusCode;
      return { attempt, outcome: { kind: 'retry', delayMs: retryDelay(this.options.retryScheduleMs, record.round_attempts, null) } };
    }
  }

  private async thread(ticketId: string): Promise<SlackThreadLinkedData | null> {
    const events = await this.store.readStream(slackThreadStreamId(ticketId));
    const linked = events.find((e) => e.type === 'SlackThreadLinked');
    return linked ? (linked.data as SlackThreadLinkedData) : null;
  }
}
