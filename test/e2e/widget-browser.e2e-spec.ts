import { createHmac } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/**
 * The website widget (API.md section 11) as a visitor uses it: Debian's Chromium, headless,
 * driven by playwright-core, against the real app. The flags keep Chromium off the network
 * beyond this machine (no background or component traffic).
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// What the page functions below use in the browser (this file is type-checked for Node).
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare function getComputedStyle(node: unknown): { color: string; getPropertyValue(name: string): string };
declare const window: { Ledgerdesk?: { identify(options: { identifier: string; identifier_hash: string; name?: string }): Promise<void> } };

type Session = { pending?: unknown[]; source_id: string | null; conversation_id: string | null; hmac_verified: boolean; position: number | null };

/** Reconnect backoff and Chromium start-up on a busy machine: more than the default 30 s per test. */
const BROWSER_TEST_TIMEOUT_MS = 90_000;

describe('website widget in Chromium (e2e)', () => {
  jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

  let app: TestApp;
  let browser: Browser;
  let key: string;
  let inbox: { id: string; public_identifier: string; hmac_token: string };

  const api = (method: string, path: string, body?: unknown) => app.request(method, `/api/v1${path}`, { token: key, body });
  const demoUrl = () => `${app.baseUrl}/widget/demo?inbox=${inbox.public_identifier}`;
  const widget = (page: Page, selector: string) => page.locator(`ledgerdesk-widget ${selector}`);
  const session = (page: Page): Promise<Session> =>
    page.evaluate((id) => JSON.parse(localStorage.getItem(`ledgerdesk:widget:${id}`) ?? '{}'), inbox.public_identifier);

  async function openDemo(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(demoUrl());
    await widget(page, '.launcher').click();
    await widget(page, '.panel').waitFor({ state: 'visible' });
    return page;
  }

  async function say(page: Page, text: string): Promise<void> {
    await widget(page, 'textarea').fill(text);
    await widget(page, '.send').click();
    await widget(page, '.msg.incoming:not(.pending)').filter({ hasText: text }).waitFor();
  }

  /** The public messages of the widget's conversation, as the workspace API shows them to agents. */
  async function ticketBodies(ticketId: string): Promise<string[]> {
    const res = await api('GET', `/tickets/${ticketId}`);
    expect(res.status).toBe(200);
    return res.body.data.messages.map((m: { body: string }) => m.body);
  }

  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const reply = async (ticketId: string, body: string) => {
    const res = await api('POST', `/tickets/${ticketId}/messages`, { body, message_type: 'outgoing' });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '10000', RATE_LIMIT_CONTACT_PER_MINUTE: '10000' } });
    ({ key } = await app.createWorkspace('Widget browser'));
    const res = await api('POST', '/inboxes', { name: 'Website chat' });
    expect(res.status).toBe(201);
    inbox = res.body.data;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the first message creates the session and the conversation; a send whose answer was lost is retried without a duplicate', async () => {
    const context = await browser.newContext();
    try {
      const page = await openDemo(context);
      expect(await widget(page, '.title').textContent()).toBe('Website chat');
      expect((await session(page)).source_id ?? null).toBeNull();

      await say(page, 'Hello from the widget');
      const stored = await session(page);
      expect(stored.source_id).toMatch(/^lds_/);
      expect(stored.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
      const ticket = await api('GET', `/tickets/${stored.conversation_id}`);
      expect(ticket.status).toBe(200);
      expect(ticket.body.data).toMatchObject({ source: 'channel', inbox_id: inbox.id });
      expect(await ticketBodies(stored.conversation_id!)).toEqual(['Hello from the widget']);

      // The server takes the message, but the browser never sees the answer: the widget sends
      // it again under the same Idempotency-Key, and the ticket still holds it once.
      let dropped = 0;
      const keys: string[] = [];
      await page.route('**/conversations/*/messages', async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        keys.push(route.request().headers()['idempotency-key']);
        if (dropped++ === 0) {
          await route.fetch();
          return route.abort('connectionreset');
        }
        return route.continue();
      });
      await say(page, 'Sent once, answered twice');
      // Its echo may arrive over /cable first; the widget still sends until it has an answer.
      await eventually(
        async () => keys.length,
        (n) => n >= 2,
      );
      await eventually(
        async () => (await session(page)).pending?.length,
        (n) => n === 0,
      );
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBeTruthy();
      expect(keys[1]).toBe(keys[0]);
      expect(await ticketBodies(stored.conversation_id!)).toEqual(['Hello from the widget', 'Sent once, answered twice']);
      expect(await widget(page, '.msg.incoming').filter({ hasText: 'Sent once, answered twice' }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('after an agent merges the conversation into another, the next message starts a new conversation', async () => {
    const context = await browser.newContext();
    try {
      const page = await openDemo(context);
      await say(page, 'Before the merge');
      const merged = (await session(page)).conversation_id!;
      const other = await api('POST', '/tickets', { subject: 'Elsewhere', description: 'Another thread', customer_email: 'someone@example.com' });
      expect(other.status).toBe(201);
      expect((await api('POST', `/tickets/${merged}/merge`, { into_ticket_id: other.body.data.id })).status).toBe(200);

      await say(page, 'After the merge');
      const next = await eventually(
        async () => (await session(page)).conversation_id,
        (id) => id !== merged,
      );
      expect(next).toMatch(/^[0-9a-f-]{36}$/);
      expect(await ticketBodies(next!)).toEqual(['After the merge']);
      expect((await session(page)).pending).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows agent replies and typing live, what was written while offline after reconnecting, and the history after a reload', async () => {
    const context = await browser.newContext();
    try {
      const page = await openDemo(context);
      const subscriptions: Array<{ after?: number }> = [];
      page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => subscriptions.push(JSON.parse(String(payload)))));
      await say(page, 'Is anyone there?');
      const { conversation_id: ticketId } = await session(page);
      // Subscribed over /cable: the position it resumes from is kept.
      expect(
        await eventually(
          async () => (await session(page)).position,
          (position) => typeof position === 'number',
        ),
      ).toEqual(expect.any(Number));

      expect((await api('POST', `/tickets/${ticketId}/typing`, { typing_status: 'on' })).status).toBe(204);
      await widget(page, '.typing').filter({ hasText: 'is typing' }).waitFor({ timeout: 10_000 });
      await reply(ticketId!, 'Yes, agent here.');
      await widget(page, '.msg.outgoing').filter({ hasText: 'Yes, agent here.' }).waitFor({ timeout: 10_000 });
      await widget(page, '.typing').waitFor({ state: 'hidden' });

      await context.setOffline(true);
      await widget(page, '.state').waitFor({ state: 'visible', timeout: 10_000 });
      const seen = (await session(page)).position;
      await reply(ticketId!, 'Written while you were offline.');
      await page.waitForTimeout(1_000);
      expect(await widget(page, '.msg.outgoing').filter({ hasText: 'Written while you were offline.' }).count()).toBe(0);
      await context.setOffline(false);
      await widget(page, '.msg.outgoing').filter({ hasText: 'Written while you were offline.' }).waitFor({ timeout: 15_000 });
      await widget(page, '.state').waitFor({ state: 'hidden', timeout: 10_000 });
      // It resumed from the last position it had seen.
      expect(subscriptions.at(-1)).toMatchObject({ type: 'subscribe', after: seen });

      // After a reload: the whole conversation, then what is written next, live.
      await page.reload();
      await widget(page, '.launcher').click();
      await widget(page, '.msg.outgoing').filter({ hasText: 'Written while you were offline.' }).waitFor({ timeout: 10_000 });
      const shown = await widget(page, '.msg').evaluateAll((nodes) => nodes.map((n) => n.lastChild?.textContent));
      expect(shown).toEqual(['Is anyone there?', 'Yes, agent here.', 'Written while you were offline.']);
      await reply(ticketId!, 'And one after the reload.');
      await widget(page, '.msg.outgoing').filter({ hasText: 'And one after the reload.' }).waitFor({ timeout: 10_000 });
      expect(await widget(page, '.msg').count()).toBe(4);
    } finally {
      await context.close();
    }
  });

  it('a connection dropped by the network resumes after the last position seen: the reply written meanwhile shows', async () => {
    const context = await browser.newContext();
    let refuse = false;
    const open = new Set<{ close(): Promise<void> }>();
    // Between the page and /cable: passes frames through, and can drop and refuse connections.
    await context.routeWebSocket(/\/cable$/, async (socket) => {
      if (refuse) return socket.close({ code: 1011, reason: 'network down' });
      socket.connectToServer();
      open.add(socket);
    });
    try {
      const page = await openDemo(context);
      await say(page, 'Hello over a flaky network');
      const { conversation_id: ticketId } = await session(page);
      await reply(ticketId!, 'First answer.');
      await widget(page, '.msg.outgoing').filter({ hasText: 'First answer.' }).waitFor({ timeout: 10_000 });

      refuse = true;
      for (const socket of open) await socket.close();
      open.clear();
      await widget(page, '.state').waitFor({ state: 'visible', timeout: 10_000 });
      await reply(ticketId!, 'Written while the socket was down.');
      await page.waitForTimeout(1_000);
      expect(await widget(page, '.msg.outgoing').filter({ hasText: 'Written while the socket was down.' }).count()).toBe(0);
      refuse = false;
      await widget(page, '.msg.outgoing').filter({ hasText: 'Written while the socket was down.' }).waitFor({ timeout: 20_000 });
      await widget(page, '.state').waitFor({ state: 'hidden', timeout: 10_000 });
      expect(await widget(page, '.msg').evaluateAll((nodes) => nodes.map((n) => n.lastChild?.textContent))).toEqual([
        'Hello over a flaky network',
        'First answer.',
        'Written while the socket was down.',
      ]);
    } finally {
      await context.close();
    }
  });

  it('a kept position the server does not have (a restored server) is dropped: the widget subscribes again and shows replies live', async () => {
    const context = await browser.newContext();
    try {
      const page = await openDemo(context);
      await say(page, 'Hello before the restore');
      const kept = await session(page);
      // As if the server's log had been restored from a backup older than this page's last visit.
      await page.evaluate(([id, state]) => localStorage.setItem(`ledgerdesk:widget:${id}`, JSON.stringify(state)), [
        inbox.public_identifier,
        { ...kept, position: (kept.position ?? 0) + 1_000_000 },
      ] as const);
      await page.reload();
      await widget(page, '.launcher').click();
      await widget(page, '.msg.incoming').filter({ hasText: 'Hello before the restore' }).waitFor({ timeout: 10_000 });
      await eventually(
        () => session(page),
        (s) => s.position !== null && s.position < (kept.position ?? 0) + 1_000_000,
        20_000,
      );
      await reply(kept.conversation_id!, 'Live again.');
      await widget(page, '.msg.outgoing').filter({ hasText: 'Live again.' }).waitFor({ timeout: 20_000 });
    } finally {
      await context.close();
    }
  });

  it("the host page's CSS cannot reach the widget", async () => {
    const STYLES = [
      'color',
      'background-color',
      'font-family',
      'font-size',
      'line-height',
      'width',
      'height',
      'border-radius',
      'padding-top',
      'display',
      'position',
      'letter-spacing',
      'text-transform',
    ];
    const measure = async (page: Page) => {
      await widget(page, '.launcher').click();
      await widget(page, '.panel').waitFor({ state: 'visible' });
      const styles: Record<string, Record<string, string>> = {};
      for (const selector of ['.launcher', '.panel', '.header', '.title', 'textarea', '.send', '.log']) {
        styles[selector] = await widget(page, selector).evaluate((node, names) => {
          const computed = getComputedStyle(node);
          return Object.fromEntries(names.map((name) => [name, computed.getPropertyValue(name)]));
        }, STYLES);
      }
      const box = await widget(page, '.launcher').boundingBox();
      return { styles, box };
    };

    const plain = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const hostile = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    try {
      const reference = await measure(
        await (async () => {
          const page = await plain.newPage();
          await page.goto(demoUrl());
          return page;
        })(),
      );

      const page = await hostile.newPage();
      await page.route(`${app.baseUrl}/hostile-page`, (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><html><head><style>
            html { font-size: 40px !important; }
            * { color: #f0f !important; background: #ff0 !important; font: italic 30px/3 "Comic Sans MS", cursive !important;
                padding: 17px !important; border-radius: 0 !important; letter-spacing: 5px !important; text-transform: uppercase !important;
                box-sizing: content-box !important; width: 300px !important; height: 300px !important; position: static !important; }
            button, textarea, div, section { display: inline !important; color: red !important; }
            ledgerdesk-widget { display: none !important; transform: scale(0.1) !important; }
            body > * { opacity: 0 !important; }
          </style></head><body><h1>A shop</h1>
          <script src="/widget.js" data-inbox="${inbox.public_identifier}" async></script></body></html>`,
        }),
      );
      await page.goto(`${app.baseUrl}/hostile-page`);
      expect(await page.locator('h1').evaluate((node) => getComputedStyle(node).color)).toBe('rgb(255, 0, 255)'); // the page's CSS does apply to the page
      const underAttack = await measure(page);
      expect(underAttack.styles).toEqual(reference.styles);
      expect(underAttack.box).toEqual(reference.box);
    } finally {
      await plain.close();
      await hostile.close();
    }
  });

  it('Ledgerdesk.identify switches to a verified session; a wrong hash is refused', async () => {
    const context = await browser.newContext();
    try {
      const page = await openDemo(context);
      const hash = createHmac('sha256', inbox.hmac_token).update('user_42', 'utf8').digest('hex');
      const refused = await page.evaluate(() =>
        window.Ledgerdesk!.identify({ identifier: 'user_42', identifier_hash: '0'.repeat(64) }).then(
          () => 'accepted',
          () => 'refused',
        ),
      );
      expect(refused).toBe('refused');
      expect((await session(page)).hmac_verified ?? false).toBe(false);

      await page.evaluate((identifier_hash) => window.Ledgerdesk!.identify({ identifier: 'user_42', identifier_hash, name: 'Verified Vera' }), hash);
      expect(await session(page)).toMatchObject({ hmac_verified: true, source_id: expect.stringMatching(/^lds_/) });
      await say(page, 'I am who I say I am');
      const { conversation_id: ticketId } = await session(page);
      const ticket = await api('GET', `/tickets/${ticketId}`);
      const customer = await api('GET', `/customers/${ticket.body.data.customer_id}`);
      expect(customer.body.data).toMatchObject({ identifier: 'user_42', name: 'Verified Vera' });

      // The same person on another device: identify() shows the same conversation.
      const other = await browser.newContext();
      try {
        const page2 = await openDemo(other);
        await page2.evaluate((identifier_hash) => window.Ledgerdesk!.identify({ identifier: 'user_42', identifier_hash }), hash);
        await widget(page2, '.msg.incoming').filter({ hasText: 'I am who I say I am' }).waitFor({ timeout: 10_000 });
      } finally {
        await other.close();
      }
    } finally {
      await context.close();
    }
  });
});
