import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { startReceiver, waitFor } from '@ledgerdesk/testing';

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApiTestApp();
  });
  afterAll(() => t.close());

  it('serves Prometheus text without auth: request durations by route and status, appends, projection lag', async () => {
    const ws = await t.createWorkspace('Metrics');
    const created = await t.request('POST', '/api/v1/tickets', { token: ws.key, body: { subject: 's', description: 'd', customer_email: 'm@x.io' } });
    await t.request('GET', `/api/v1/tickets/${created.body.data.id}`, { token: ws.key });
    await t.request('GET', '/api/v1/tickets/00000000-0000-4000-8000-000000000000', { token: ws.key });

    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/ledgerdesk_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tickets\/:id",status_code="200"\} 1/);
    expect(text).toMatch(/ledgerdesk_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tickets\/:id",status_code="404"\} 1/);
    expect(text).toMatch(/ledgerdesk_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/tickets",status_code="201"\} 1/);
    expect(text).toMatch(/ledgerdesk_events_appended_total\{stream_category="ticket"\} [1-9]/);
    expect(text).toMatch(/ledgerdesk_projection_lag_events\{projection="tickets"\} \d+/);
    expect(text).toMatch(/ledgerdesk_projection_checkpoint\{projection="workspaces"\} \d+/);
    expect(text).toContain('ledgerdesk_process_cpu_seconds_total');
  });

  it('reports delivery queue depth and settled delivery outcomes', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const ws = await t.createWorkspace('Metrics deliveries');
      const hook = await t.request('POST', '/api/v1/webhooks', { token: ws.key, body: { url: receiver.url, events: ['ticket.created'] } });
      expect(hook.status).toBe(201);
      const ticket = await t.request('POST', '/api/v1/tickets', {
        token: ws.key,
        body: { subject: 'Metered', description: 'Count me', customer_email: 'm@example.com' },
      });
      expect(ticket.status).toBe(201);
      const scrape = async () => (await t.request('GET', '/metrics')).body as string;
      await waitFor(async () => /ledgerdesk_deliveries_total\{queue="[^"]+",outcome="succeeded"\} [1-9]/.test(await scrape()), 15_000, 'a succeeded delivery');
      expect(await scrape()).toMatch(/ledgerdesk_delivery_queue_jobs\{queue="[^"]+",state="delayed"\} \d+/);
      // The dispatcher has turned every event into deliveries: no lag.
      await waitFor(async () => /ledgerdesk_dispatcher_lag_events 0\n/.test(await scrape()), 15_000, 'the dispatcher at the head');
    } finally {
      await receiver.close();
    }
  });

  it('is not in the OpenAPI document', async () => {
    const doc = await t.request('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).not.toContain('/metrics');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/events', '/api/v1/admin/projections', '/api/v1/admin/projections/{name}/rebuild']),
    );
  });
});
