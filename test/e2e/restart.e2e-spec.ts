import { rmSync } from 'node:fs';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/**
 * The event log is the only source of truth: after a restart on the same DATA_DIR the
 * embedded read store is rebuilt from it and serves exactly what it served before.
 */
describe('restart on the same data dir (e2e)', () => {
  let app: TestApp | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const pages = async (testApp: TestApp, key: string, query: string) => {
    const bodies: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res = await testApp.request('GET', `/api/v1/tickets?${query}&limit=4${cursor ? `&cursor=${cursor}` : ''}`, { token: key });
      expect(res.status).toBe(200);
      bodies.push(res.body);
      cursor = res.body.meta.next_cursor;
    } while (cursor);
    return bodies;
  };

  it('serves every ticket, message and page identically after a restart', async () => {
    app = await startApiTestApp();
    dataDir = app.dataDir;
    const ws = await app.createWorkspace('Durable');
    const otherWs = await app.createWorkspace('Durable too');

    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await app.request('POST', '/api/v1/tickets', {
        token: ws.key,
        body: {
          subject: `Ticket ${i}`,
          description: `Description ${i}`,
          customer_email: `c${i % 2}@example.com`,
          priority: ['low', 'medium', 'high', 'urgent'][i % 4],
          tags: i % 2 ? ['odd'] : [],
        },
      });
      expect(res.status).toBe(201);
      ids.push(res.body.data.id);
    }
    for (const [n, id] of ids.slice(0, 4).entries()) {
      for (let m = 0; m <= n; m++) {
        const res = await app.request('POST', `/api/v1/tickets/${id}/messages`, { token: ws.key, body: { body: `reply ${m}` } });
        expect(res.status).toBe(201);
      }
    }
    expect(
      (
        await app.request('POST', '/api/v1/tickets', {
          token: otherWs.key,
          body: { subject: 'other', description: 'other', customer_email: 'c0@example.com' },
        })
      ).status,
    ).toBe(201);
    const renamed = await app.request('PATCH', `/api/v1/admin/workspaces/${ws.id}`, { token: app.adminToken, body: { name: 'Durable (renamed)' } });
    expect(renamed.status).toBe(200);

    const queries = ['', 'order_by=ticket_number&order_dir=asc', 'order_by=priority', 'order_by=updated_at&order_dir=asc', 'tags=odd'];
    const before = {
      pages: await Promise.all(queries.map((q) => pages(app!, ws.key, q))),
      tickets: await Promise.all(ids.map((id) => app!.request('GET', `/api/v1/tickets/${id}`, { token: ws.key }))),
      events: await app.request('GET', `/api/v1/tickets/${ids[3]}/events`, { token: ws.key }),
      workspace: await app.request('GET', `/api/v1/admin/workspaces/${ws.id}`, { token: app.adminToken }),
      head: await app.infrastructure.eventStore.headPosition(),
    };
    expect(before.tickets[3].body.data.messages).toHaveLength(5);

    await app.close({ keepData: true });
    const restarted = await startApiTestApp({ dataDir });
    app = restarted;

    expect(await restarted.infrastructure.eventStore.headPosition()).toBe(before.head);
    // The key is still valid: credentials come from the rebuilt read model.
    for (const [i, q] of queries.entries()) expect(await pages(restarted, ws.key, q)).toEqual(before.pages[i]);
    for (const [i, id] of ids.entries()) {
      const res = await restarted.request('GET', `/api/v1/tickets/${id}`, { token: ws.key });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(before.tickets[i].body);
      expect(res.headers.get('etag')).toBe(before.tickets[i].headers.get('etag'));
    }
    expect((await restarted.request('GET', `/api/v1/tickets/${ids[3]}/events?verify=true`, { token: ws.key })).body).toEqual({
      ...before.events.body,
      verification: { ok: true, broken_revision: null, reason: null, checked: 6 },
    });
    expect((await restarted.request('GET', `/api/v1/admin/workspaces/${ws.id}`, { token: restarted.adminToken })).body).toEqual(before.workspace.body);

    // The write side carries on from the log: numbering and revisions continue.
    const next = await restarted.request('POST', '/api/v1/tickets', {
      token: ws.key,
      body: { subject: 'After restart', description: 'still here', customer_email: 'C1@example.com' },
    });
    expect(next.status).toBe(201);
    expect(next.body.data.ticket_number).toBe(1011);
    expect(next.body.data.customer_id).toBe(before.tickets[1].body.data.customer_id);
    const reply = await restarted.request('POST', `/api/v1/tickets/${ids[0]}/messages`, { token: ws.key, body: { body: 'later' } });
    expect(reply.status).toBe(201);
    const after = await restarted.request('GET', `/api/v1/tickets/${ids[0]}`, { token: ws.key });
    expect(after.headers.get('etag')).toBe('"3"');
    expect(after.body.data.messages.map((m: { body: string }) => m.body)).toEqual(['Description 0', 'reply 0', 'later']);
  });
});
