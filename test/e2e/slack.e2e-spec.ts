import type { DeliveryRecord } from '@ledgerdesk/deliveries';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { startFakeSlack, waitFor, type SlackPost } from '@ledgerdesk/testing';

type SlackAnswer = { ok: true } | { ok: false; error: string } | { status: 429; retryAfter: number };

/** API.md section 7, Slack threads: error paths and channel choice, against a local fake Slack. */
describe('Slack deliveries: rate limits, permanent errors, channel choice (e2e)', () => {
  let app: TestApp;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  /** Per channel behaviour, so the tests do not disturb each other (each uses its own channels). */
  const behaviour = new Map<string, (n: number, post: SlackPost) => SlackAnswer>();
  const callsTo = (channel: string) => slack.calls.filter((c) => c.channel === channel);
  const postsTo = (channel: string) => slack.posts.filter((c) => c.channel === channel);

  beforeAll(async () => {
    slack = await startFakeSlack((_n, post) => {
      const respond = behaviour.get(post.channel);
      return respond ? respond(callsTo(post.channel).length, post) : { ok: true };
    });
    app = await startApiTestApp({ env: { WEBHOOK_RETRY_SCHEDULE_MS: '100,200,400', SLACK_API_URL: slack.url } });
  });
  afterAll(async () => {
    await app?.close();
    await slack?.close();
  });

  async function workspaceWithSlack(defaultChannel: string) {
    const ws = await app.createWorkspace();
    const put = await app.request('PUT', '/api/v1/integrations/slack', {
      token: ws.key,
      body: { bot_token: `xoxb-${defaultChannel}`, default_channel_id: defaultChannel },
    });
    expect(put.status).toBe(200);
    return ws;
  }
  async function createTicket(key: string, subject: string) {
    const res = await app.request('POST', '/api/v1/tickets', {
      token: key,
      body: { subject, description: `${subject} body`, customer_email: 'ada@example.com' },
    });
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  }
  const reply = async (key: string, ticketId: string, body: string) =>
    expect((await app.request('POST', `/api/v1/tickets/${ticketId}/messages`, { token: key, body: { body } })).status).toBe(201);
  const slackLog = async (workspaceId: string): Promise<DeliveryRecord[]> =>
    (await app.infrastructure.deliveries!.log.list(`slack-${workspaceId}`, 100, null)).records.sort((a, b) => a.position - b.position);

  it('honours a 429 Retry-After: the next post to that channel is not before it, and the root is posted once', async () => {
    const channel = 'C0LIMITED';
    behaviour.set(channel, (n) => (n === 0 ? { status: 429, retryAfter: 2 } : { ok: true }));
    const ws = await workspaceWithSlack(channel);
    const ticketId = await createTicket(ws.key, 'Rate limited');
    await reply(ws.key, ticketId, 'a reply');

    await waitFor(() => postsTo(channel).length >= 2, 15_000, 'root + reply after the 429');
    // The worker records each attempt once Slack's answer is in: after the post has arrived here.
    await waitFor(async () => (await slackLog(ws.id)).every((r) => r.status !== 'pending'), 5_000, 'both recorded');
    const calls = callsTo(channel);
    expect(calls).toHaveLength(3); // 429, root, reply
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1_950);
    expect(calls[1].thread_ts).toBeUndefined();
    expect(calls[2].thread_ts).toBe(postsTo(channel)[0].ts);

    const [root, replyRecord] = await slackLog(ws.id);
    expect(root).toMatchObject({ status: 'succeeded', event_type: 'slack.thread.created' });
    expect(root.attempts.map((a) => a.response_status)).toEqual([429, 200]);
    expect(Date.parse(root.attempts[1].at) - Date.parse(root.attempts[0].at)).toBeGreaterThanOrEqual(1_950);
    expect(replyRecord).toMatchObject({ status: 'succeeded', event_type: 'slack.thread.reply' });
  }, 30_000);

  it.each(['channel_not_found', 'not_in_channel', 'invalid_auth', 'account_inactive'])(
    'a permanent error (%s) fails at once, is recorded, and later messages of the ticket never post a root',
    async (error) => {
      const channel = `C0${error.toUpperCase().replace(/_/g, '')}`;
      behaviour.set(channel, () => ({ ok: false, error }));
      const ws = await workspaceWithSlack(channel);
      const ticketId = await createTicket(ws.key, `Broken ${error}`);
      await reply(ws.key, ticketId, 'reply to a thread that never existed');

      await waitFor(async () => (await slackLog(ws.id)).filter((r) => r.status === 'failed').length === 2, 10_000, 'both failed');
      const [root, replyRecord] = await slackLog(ws.id);
      expect(root.attempts).toHaveLength(1);
      expect(root.attempts[0]).toMatchObject({ response_status: 200, error });
      expect(root.next_attempt_at).toBeNull();
      expect(replyRecord.status).toBe('failed');
      expect(replyRecord.attempts[0].error).toMatch(/^no_thread/);
      await new Promise((r) => setTimeout(r, 500));
      expect(callsTo(channel)).toHaveLength(1); // no retry, and the reply never called Slack
    },
    20_000,
  );

  it('retries a transient Slack error on the schedule', async () => {
    const channel = 'C0TRANSIENT';
    behaviour.set(channel, (n) => (n === 0 ? { ok: false, error: 'internal_error' } : { ok: true }));
    const ws = await workspaceWithSlack(channel);
    await createTicket(ws.key, 'Transient');
    await waitFor(() => postsTo(channel).length >= 1, 10_000, 'root after a retry');
    // The worker records the attempt once Slack's answer is in: after the post has arrived here.
    await waitFor(async () => (await slackLog(ws.id))[0]?.status !== 'pending', 5_000, 'root recorded');
    const [root] = await slackLog(ws.id);
    expect(root.status).toBe('succeeded');
    expect(root.attempts.map((a) => a.error)).toEqual(['internal_error', null]);
  }, 20_000);

  it("posts customers' text as text: Slack markup in a subject, a name or a message neither notifies nor links", async () => {
    const ws = await workspaceWithSlack('C0ESCAPE');
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Escapes' } });
    const intake = (body: Record<string, unknown>) => app.request('POST', '/api/v1/inbox/messages', { token: inbox.body.data.api_key.key, body });
    const created = await intake({
      email: 'esc@example.com',
      name: '<!channel> Bob',
      subject: '<!here> urgent <https://evil.example|Reset password> & co',
      message: '<!everyone> click <https://evil.example|here> <@U123>',
    });
    expect(created.status).toBe(201);
    expect((await intake({ email: 'esc@example.com', message: 'again <!channel>', ticketToken: created.body.ticketToken })).status).toBe(201);

    await waitFor(() => postsTo('C0ESCAPE').length >= 2, 15_000, 'root and reply');
    const [root, threaded] = postsTo('C0ESCAPE');
    expect(root.text).toBe(
      `*#${(await app.request('GET', `/api/v1/tickets/${created.body.ticketId}`, { token: ws.key })).body.data.ticket_number} ` +
        '&lt;!here&gt; urgent &lt;https://evil.example|Reset password&gt; &amp; co*\n' +
        'Customer: &lt;!channel&gt; Bob &lt;esc@example.com&gt;\nPriority: medium\n' +
        '> &lt;!everyone&gt; click &lt;https://evil.example|here&gt; &lt;@U123&gt;',
    );
    expect(threaded.text).toBe('*Customer:* again &lt;!channel&gt;');
    for (const post of [root, threaded]) expect(post.text).not.toMatch(/<[!@h]/);
  }, 30_000);

  it("posts in the inbox's slack_channel_id over the workspace default; other tickets use the default", async () => {
    const ws = await workspaceWithSlack('C0DEFAULT');
    const withChannel = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Sales', slack_channel_id: 'C0SALES' } });
    const withoutChannel = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Plain' } });
    expect([withChannel.status, withoutChannel.status]).toEqual([201, 201]);
    const intake = async (inboxKey: string, body: Record<string, unknown>) => {
      const res = await app.request('POST', '/api/v1/inbox/messages', { token: inboxKey, body });
      expect(res.status).toBe(201);
      return res.body as { ticketId: string; ticketToken: string };
    };
    const sales = await intake(withChannel.body.data.api_key.key, { email: 'buyer@example.com', subject: 'Quote', message: 'How much?' });
    await intake(withChannel.body.data.api_key.key, { email: 'buyer@example.com', message: 'Any news?', ticketToken: sales.ticketToken });
    await intake(withoutChannel.body.data.api_key.key, { email: 'plain@example.com', message: 'Plain inbox' });
    await createTicket(ws.key, 'No inbox at all');

    await waitFor(() => postsTo('C0SALES').length >= 2 && postsTo('C0DEFAULT').length >= 2, 15_000, 'posts in both channels');
    const [root, threaded] = postsTo('C0SALES');
    expect(root.text).toContain('Quote');
    expect(root.thread_ts).toBeUndefined();
    expect(threaded).toMatchObject({ thread_ts: root.ts });
    expect(threaded.text).toContain('Any news?');
    expect(postsTo('C0DEFAULT').map((p) => p.thread_ts)).toEqual([undefined, undefined]);
    expect(
      postsTo('C0DEFAULT')
        .map((p) => p.text)
        .join('\n'),
    ).toMatch(/Plain inbox[\s\S]*No inbox at all|No inbox at all[\s\S]*Plain inbox/);
    const linked = await app.infrastructure.eventStore.readStream(`slack-thread-${sales.ticketId}`);
    expect(linked[0].data).toMatchObject({ channel_id: 'C0SALES', ts: root.ts });
  }, 30_000);
});
