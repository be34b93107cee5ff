import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventStore } from '@ledgerdesk/event-store';

/**
 * One Prometheus registry per process (per Infrastructure, so tests running several apps in one
 * process do not share counters). Served by GET /metrics. Other parts of the app add their own
 * metrics to `registry` (e.g. queue depth, delivery outcomes):
 *
 *   new Counter({ name: 'ledgerdesk_deliveries_total', help: '...', labelNames: ['outcome'], registers: [metrics.registry] })
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly eventsAppended: Counter<'stream_category'>;
  readonly appendDuration: Histogram<never>;
  /**
   * Requests served without their rate-limit check because Redis did not answer (fail open):
   * `reason` is `unavailable` (known to be away, not asked) or `error` (asked, failed or slow).
   */
  readonly rateLimitFailOpen: Counter<'reason'>;
  /** Idempotency-Key requests answered 503 because the idempotency records (Redis) were unavailable. */
  readonly idempotencyUnavailable: Counter<never>;
  /** Registers a gauge whose value is computed at scrape time. */
  gauge(name: string, help: string, labelNames: string[], collect: () => Promise<Array<{ labels: Record<string, string>; value: number }>>): Gauge<string>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'ledgerdesk_' });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'ledgerdesk_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    eventsAppended: new Counter({
      name: 'ledgerdesk_events_appended_total',
      help: 'Events appended to the event store by this process, by stream category',
      labelNames: ['stream_category'],
      registers: [registry],
    }),
    appendDuration: new Histogram({
      name: 'ledgerdesk_append_duration_seconds',
      help: 'Duration of event store appends (includes the group-commit fsync)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    rateLimitFailOpen: new Counter({
      name: 'ledgerdesk_rate_limit_fail_open_total',
      help: 'Requests served without a rate-limit check because Redis was unavailable (unavailable: not asked; error: failed or slow)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    idempotencyUnavailable: new Counter({
      name: 'ledgerdesk_idempotency_unavailable_total',
      help: 'Idempotency-Key requests answered 503 because Redis (the idempotency records) was unavailable',
      registers: [registry],
    }),
    gauge(name, help, labelNames, collect) {
      return new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          for (const { labels, value } of await collect()) this.set(labels, value);
        },
      });
    },
  };
}

/** `ticket-<uuid>` -> `ticket`: bounded label values. */
export const streamCategory = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
};

/**
 * Counts appends on this store instance, single- and multi-stream (wraps its `append` and
 * `appendToStreams` in place, so the object keeps its class and other methods).
 */
export function instrumentAppends(store: EventStore, metrics: Metrics): EventStore {
  const append = store.append.bind(store);
  const appendToStreams = store.appendToStreams.bind(store);
  // An adapter's append may call its own appendToStreams, or the other way round (synchronously,
  // at its start): only the outer call is timed and counted.
  let delegating = false;
  const measured = async <T>(streams: ReadonlyArray<{ streamId: string; events: readonly unknown[] }>, call: () => Promise<T>): Promise<T> => {
    if (delegating) return call();
    const end = metrics.appendDuration.startTimer();
    let pending: Promise<T>;
    delegating = true;
    try {
      pending = call();
    } finally {
      delegating = false;
    }
    try {
      const result = await pending;
      for (const { streamId, events } of streams) metrics.eventsAppended.inc({ stream_category: streamCategory(streamId) }, events.length);
      return result;
    } finally {
      end();
    }
  };
  store.append = (streamId, events, expected) => measured([{ streamId, events }], () => append(streamId, events, expected));
  store.appendToStreams = (appends) => measured(appends, () => appendToStreams(appends));
  return store;
}
