import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@ledgerdesk/runtime';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiProcess, waitUntilReady } from '../support/api-process';
import { startApiTestApp } from '../support/api-test-app';
import { CableClient } from './cable-client';

/** Resume across restarts and API processes (API.md section 10, ARCHITECTURE.md "Real time"). */
describe('real time across restarts and processes (e2e)', () => {
  const clients: CableClient[] = [];
  const cable = async (baseUrl: string, subscribe: Record<string, unknown>) => {
    const client = await CableClient.subscribe(baseUrl, subscribe);
    clients.push(client);
    return client;
  };
  const post = async (app: TestApp, key: string, path: string, body: unknown) => {
    const res = await app.request('POST', `/api/v1${path}`, { token: key, body });
    expect(res.status).toBe(201);
    return res.body.data as { id: string };
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  /** A new workspace with an inbox, and a contact session opened on it through `app`. */
  const contactThrough = async (app: TestApp, workspaceName: string) => {
    const ws = await app.createWorkspace(workspaceName);
    const inbox = await post(app, ws.key, '/inboxes', { name: 'Chat' });
    const pubId = ((await app.request('GET', `/api/v1/inboxes/${inbox.id}`, { token: ws.key })).body.data as { public_identifier: string }).public_identifier;
    const contact = await app.request('POST', `/public/api/v1/inboxes/${pubId}/contacts`, { body: { name: 'Ann' } });
    expect(contact.status).toBe(201);
    const { source_id: sourceId, pubsub_token: token } = contact.body.data as { source_id: string; pubsub_token: string };
    return { ws, pubId, sourceId, token };
  };
  /** Process A (in the test) and process B (a child) on one DATA_DIR and one Redis. */
  const withTwoProcesses = async (test: (a: TestApp, bUrl: string) => Promise<void>) => {
    const a = await startApiTestApp();
    const port = await findFreePort();
    const b = startApiProcess({
      DATA_DIR: a.dataDir,
      REDIS_URL: a.infrastructure.redis.url,
      PORT: String(port),
      ADMIN_TOKEN: 'test-admin-token',
      LEDGERDESK_ROLES: 'api,projector',
    });
    const bUrl = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(bUrl);
      await test(a, bUrl);
    } finally {
      b.child.kill('SIGTERM');
      await new Promise((r) => (b.child.exitCode !== null ? r(null) : b.child.once('exit', r)));
      await a.close();
    }
  };

  it('resumes across an app restart on the same DATA_DIR: the events written since, in order, none twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-cable-restart-'));
    let app = await startApiTestApp({ dataDir });
    try {
      const ws = await app.createWorkspace('Restart');
      const ticket = await post(app, ws.key, '/tickets', { subject: 'S', description: 'd', customer_email: 'r@example.com' });
      const first = await cable(app.baseUrl, { api_key: ws.key, after: 0 });
      await first.waitForEvents(2); // customer.created, ticket.created
      await post(app, ws.key, `/tickets/${ticket.id}/messages`, { body: 'before close', message_type: 'outgoing' });
      await first.waitForEvents(3);
      const last = first.events[1].position as number; // it missed "before close" on purpose
      await first.close();
      await app.close({ keepData: true });

      app = await startApiTestApp({ dataDir });
      await post(app, ws.key, `/tickets/${ticket.id}/messages`, { body: 'after restart', message_type: 'outgoing' });
      const again = await cable(app.baseUrl, { api_key: ws.key, after: last });
      await again.waitForEvents(2);
      await post(app, ws.key, `/tickets/${ticket.id}/messages`, { body: 'live after restart', message_type: 'outgoing' });
      await again.waitForEvents(3);
      await new Promise((r) => setTimeout(r, 300));
      expect(again.events.map((e) => e.data.message.body)).toEqual(['before close', 'after restart', 'live after restart']);
      expect(again.events[0].position).toBe(first.events[2].position);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('two API processes on one DATA_DIR and one Redis: a subscriber on B sees writes and typing made through A', async () => {
    await withTwoProcesses(async (a, bUrl) => {
      // A contact opened through A subscribes on B (B learns its token from the log).
      const { ws, pubId, sourceId, token } = await contactThrough(a, 'Two processes');
      const staffOnB = await cable(bUrl, { api_key: ws.key });
      const contactOnB = await cable(bUrl, { pubsub_token: token });
      expect(staffOnB.frames[0].type).toBe('subscribed');
      expect(contactOnB.frames[0].type).toBe('subscribed');

      const conv = await a.request('POST', `/public/api/v1/inboxes/${pubId}/contacts/${sourceId}/conversations`, { body: { message: { content: 'via A' } } });
      expect(conv.status).toBe(201);
      const ticketId = conv.body.data.id as string;
      await post(a, ws.key, `/tickets/${ticketId}/messages`, { body: 'agent via A', message_type: 'outgoing' });
      await contactOnB.waitForEvents(3);
      expect(contactOnB.events.map((e) => `${e.event}:${e.data.content ?? ''}`)).toEqual([
        'conversation.created:',
        'message.created:via A',
        'message.created:agent via A',
      ]);
      await staffOnB.waitFor(() => staffOnB.events.some((e) => e.data.message?.body === 'agent via A'));

      // Typing through A crosses to B over Redis.
      // Typing is never stored: one sent before B's Redis subscription is up is gone, so the agent
      // keeps signalling (as a typing client does) until B has passed it on.
      const typingOnB = () => contactOnB.frames.some((f) => f.event === 'conversation.typing_on');
      for (let attempt = 0; attempt < 50 && !typingOnB(); attempt++) {
        expect((await a.request('POST', `/api/v1/tickets/${ticketId}/typing`, { token: ws.key, body: { typing_status: 'on' } })).status).toBe(204);
        await new Promise((r) => setTimeout(r, 200));
      }
      await contactOnB.waitFor(typingOnB);

      // A subscriber that moves from B to A resumes where it stopped, nothing lost nor repeated.
      const last = contactOnB.lastPosition;
      await contactOnB.close();
      await post(a, ws.key, `/tickets/${ticketId}/messages`, { body: 'while moving', message_type: 'outgoing' });
      const onA = await cable(a.baseUrl, { pubsub_token: token, after: last });
      await onA.waitForEvents(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(onA.events.map((e) => e.data.content)).toEqual(['while moving']);
    });
  }, 120_000);

  it('socket limits hold across API processes sharing one Redis: 10 per session, whichever process holds them', async () => {
    await withTwoProcesses(async (a, bUrl) => {
      const { token } = await contactThrough(a, 'Limits across processes');
      const open: CableClient[] = [];
      for (let i = 0; i < 6; i++) open.push(await cable(a.baseUrl, { pubsub_token: token }));
      for (let i = 0; i < 4; i++) open.push(await cable(bUrl, { pubsub_token: token }));
      expect(open.every((c) => c.frames[0].type === 'subscribed')).toBe(true);

      const eleventh = await cable(bUrl, { pubsub_token: token });
      expect(await eleventh.waitForClose()).toBe(4429);
      expect(eleventh.frames[0]).toEqual(expect.objectContaining({ type: 'error', code: 'TOO_MANY_REQUESTS' }));
      expect(await (await cable(a.baseUrl, { pubsub_token: token })).waitForClose()).toBe(4429);

      // A socket closed on A frees a place on B.
      await open[0].close();
      await new Promise((r) => setTimeout(r, 200));
      const again = await cable(bUrl, { pubsub_token: token });
      expect(again.frames[0].type).toBe('subscribed');
    });
  }, 120_000);
});
