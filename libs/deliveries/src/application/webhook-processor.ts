import type { Queue } from 'bullmq';
import type { CommandRunner } from '@ledgerdesk/event-sourcing';
import type { EventStore } from '@ledgerdesk/event-store';
import { systemContext } from '@ledgerdesk/shared';
import { webhookEndpointsDecider } from '../domain/webhook-endpoints.decider';
import { webhookEndpointsStreamId } from '../domain/webhook-endpoint.events';
import type { DeliveryAttempt, DeliveryLog, DeliveryRecord } from '../infrastructure/delivery-log';
import type { DeliveryJobData } from '../infrastructure/queues';
import { postWebhook, refusedForGood, retryDelay, signWebhook, TIMEOUT_ERROR } from '../infrastructure/webhook-sender';
import { DeliveryProcessor, type AttemptOutcome, type AttemptResult } from './delivery-processor';
import { DestinationPace } from './destination-pace';
import { CustomerErasures } from './customer-erasure';
import { CurrentFolds, inboxDestinationFold, inboxStreamIdOf } from './stream-folds';

export interface WebhookProcessorOptions {
  retryScheduleMs: readonly number[];
  allowPrivateNetworks: boolean;
  timeoutMs?: number;
  /** Deliveries the worker attempts at once (its concurrency): how DestinationPace shares them. */
  slots: number;
}

/** Webhook endpoints and inbox callbacks: signed POSTs with the retry schedule. */
export class WebhookProcessor extends DeliveryProcessor {
  private readonly folds: CurrentFolds;
  private readonly erasures: CustomerErasures;
  private readonly pace: DestinationPace;

  constructor(
    log: DeliveryLog,
    queue: Queue<DeliveryJobData>,
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly options: WebhookProcessorOptions,
  ) {
    super(log, queue);
    this.folds = new CurrentFolds(store);
    this.erasures = new CustomerErasures(this.folds);
    this.pace = new DestinationPace(options.slots);
  }

  protected async attempt(record: DeliveryRecord): Promise<AttemptResult> {
    // First, before any work for it: a delivery that must wait costs little.
    const slot = this.pace.begin(`${record.kind}:${record.destination_id}`);
    if ('pauseMs' in slot) return { park: slot.pauseMs };
    let ended: { timedOut: boolean } | null = null;
    try {
      const result = await this.attemptWithSlot(record);
      // An answer, or a timeout; anything else did not reach the destination and says nothing of it.
      if ('attempt' in result) {
        const { response_status: status, error } = result.attempt;
        ended = status !== null ? { timedOut: false } : error?.startsWith(TIMEOUT_ERROR) ? { timedOut: true } : null;
      }
      return result;
    } finally {
      slot.end(ended);
    }
  }

  private async attemptWithSlot(record: DeliveryRecord): Promise<AttemptResult> {
    const at = new Date();
    const note = (error: string): { attempt: DeliveryAttempt; outcome: AttemptOutcome } => ({
      attempt: { at: at.toISOString(), response_status: null, duration_ms: 0, error },
      outcome: { kind: 'failed' },
    });

    // One read of the log's head for both folds below: each is as current as a full read.
    const head = await this.folds.headPosition();
    let url: string;
    /** As stored (sealed): signWebhook opens it once per secret, not once per delivery. */
    let secret: string;
    if (record.kind === 'webhook') {
      const state = await this.folds.fold(webhookEndpointsStreamId(record.workspace_id), webhookEndpointsDecider, head);
      const endpoint = state.endpoints[record.destination_id];
      if (!endpoint) return note('endpoint_deleted');
      if (!endpoint.enabled) return note('endpoint_disabled');
      url = endpoint.url;
      secret = endpoint.secret;
    } else {
      const inbox = await this.folds.fold(inboxStreamIdOf(record.destination_id), inboxDestinationFold, head);
      if (!inbox.exists || !inbox.callback_url || !inbox.callback_secret) return note('callback_not_configured');
      url = inbox.callback_url;
      secret = inbox.callback_secret;
    }

    // Planned maybe before its customer was erased: what goes out now carries no erased data.
    const body = await this.erasures.bodyToSend(record.payload, head);
    const headers = signWebhook(secret, record.event_id, body, at);
    const result = await postWebhook(url, body, headers, {
      allowPrivateNetworks: this.options.allowPrivateNetworks,
      timeoutMs: this.options.timeoutMs,
    });
    const attempt: DeliveryAttempt = {
      at: at.toISOString(),
      response_status: result.status,
      duration_ms: result.durationMs,
      error: result.error,
    };

    let outcome: AttemptOutcome;
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      outcome = { kind: 'succeeded' };
    } else if (result.status === 410 && record.kind === 'webhook') {
      await this.runner.run(
        webhookEndpointsStreamId(record.workspace_id),
        webhookEndpointsDecider,
        { type: 'disable', endpointId: record.destination_id, reason: 'receiver answered 410 Gone', at: at.toISOString() },
        systemContext(record.workspace_id),
      );
      outcome = { kind: 'failed' };
    } else if (refusedForGood(result)) {
      outcome = { kind: 'failed' };
    } else {
      outcome = { kind: 'retry', delayMs: retryDelay(this.options.retryScheduleMs, record.round_attempts, result.retryAfterMs) };
    }
    return { attempt, outcome };
  }
}
