import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type NewEvent } from '@ledgerdesk/event-store';
import { systemEventMetadata } from '@ledgerdesk/testing';
import { createMetrics, instrumentAppends } from './metrics';

const event = (): NewEvent => ({
  id: randomUUID(),
  type: 'Thing',
  data: {},
  metadata: systemEventMetadata(null),
});

describe('instrumentAppends', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the events of single- and multi-stream appends once each, by stream category', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const instrumented = instrumentAppends(store, metrics);
    // SQLite's append goes through its own appendToStreams: counted once all the same.
    await instrumented.append(`ticket-${randomUUID()}`, [event(), event()], 'no_stream');
    await instrumented.appendToStreams([
      { streamId: `ticket-${randomUUID()}`, events: [event()], expectedRevision: 'no_stream' },
      { streamId: `customer-${randomUUID()}`, events: [event()], expectedRevision: 'no_stream' },
    ]);
    const counted = await metrics.eventsAppended.get();
    const byCategory = Object.fromEntries(counted.values.map((value) => [value.labels.stream_category, value.value]));
    expect(byCategory).toEqual({ ticket: 3, customer: 1 });
    const durations = await metrics.appendDuration.get();
    expect(durations.values.find((value) => value.metricName?.endsWith('_count'))?.value).toBe(2);
  });
});
