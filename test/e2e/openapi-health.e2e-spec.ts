import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/** API.md section 0: the OpenAPI document, the interactive docs and the health probes. */
describe('OpenAPI and health (e2e)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApiTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves one OpenAPI 3 document at /api/openapi and /openapi.json, without auth', async () => {
    const a = await app.request('GET', '/api/openapi');
    const b = await app.request('GET', '/openapi.json');
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/application\/json/);
    expect(a.body).toEqual(b.body);
    expect(a.body.openapi).toMatch(/^3\./);
    expect(a.body.info.title).toEqual(expect.any(String));
    for (const path of [
      '/api/v1/tickets',
      '/api/v1/tickets/{id}',
      '/api/v1/tickets/{id}/messages',
      '/api/v1/tickets/{id}/events',
      '/api/v1/admin/workspaces',
      '/api/v1/admin/workspaces/{id}',
      '/api/v1/admin/workspaces/{id}/api-keys',
      '/api/v1/admin/workspaces/{id}/api-keys/{keyId}',
    ]) {
      expect(Object.keys(a.body.paths)).toContain(path);
    }
    expect(Object.keys(a.body.paths['/api/v1/tickets'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(a.body.paths).filter((p) => p.startsWith('/health'))).toEqual([]);
  });

  it('documents Idempotency-Key on every POST and If-Match on PATCH /tickets/{id}', async () => {
    const doc = (await app.request('GET', '/openapi.json')).body;
    const names = (op: { parameters?: Array<{ name: string }> }) => (op.parameters ?? []).map((p) => p.name);
    const posts = Object.entries(doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string }> }>>)
      .filter(([path, item]) => path.startsWith('/api/v1/') && item.post)
      .map(([path, item]) => [path, names(item.post)] as const);
    expect(posts.length).toBeGreaterThan(10);
    for (const [path, params] of posts) expect({ path, has: params.includes('Idempotency-Key') }).toEqual({ path, has: true });
    expect(names(doc.paths['/api/v1/tickets/{id}'].patch)).toContain('If-Match');
  });

  it('types a field that takes a string, or null, as a string: only free-form objects are objects', async () => {
    const doc = (await app.request('GET', '/openapi.json')).body;
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, { type?: string; additionalProperties?: unknown }> }>;
    const objectTyped = Object.entries(schemas).flatMap(([schema, { properties = {} }]) =>
      Object.entries(properties)
        .filter(([, property]) => property.type === 'object' && property.additionalProperties !== true)
        .map(([field]) => `${schema}.${field}`),
    );
    expect(objectTyped).toEqual([]);
    expect(schemas.UpdateCustomerDto.properties?.name).toMatchObject({ type: 'string', nullable: true });
    expect(schemas.UpdateTicketDto.properties?.assignee_id).toMatchObject({ type: 'string', format: 'uuid', nullable: true });
    for (const field of ['name', 'subject', 'ticketToken', 'externalId']) {
      expect({ field, ...schemas.IntakeMessageDto.properties?.[field] }).toMatchObject({ field, type: 'string', nullable: true });
    }
  });

  it('serves the interactive docs at /docs', async () => {
    const res = await fetch(`${app.baseUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/swagger/i);
  });

  it('answers the liveness and readiness probes', async () => {
    const live = await app.request('GET', '/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await app.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { event_store: { status: 'up' }, read_store: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(live.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  it('answers unknown routes with 404 in the envelope', async () => {
    const res = await app.request('GET', '/api/v1/nope', { token: (await app.createWorkspace()).key });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
