import { Webhook } from 'standardwebhooks';
import { assertSafeDestinationUrl, isPrivateAddress } from './domain/destination-safety';
import { cutForSlack } from './domain/slack';
import { retryDelay, signWebhook } from './infrastructure/webhook-sender';
import { deliveryIdFor, Dispatcher } from './application/dispatcher';

describe('destination safety', () => {
  it.each(['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:7f00:1'])(
    '%s is private',
    (ip) => expect(isPrivateAddress(ip)).toBe(true),
  );
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));
  it('refuses non-http(s) and private hosts unless allowed', () => {
    expect(() => assertSafeDestinationUrl('ftp://example.com/x', true)).toThrow('http or https');
    expect(() => assertSafeDestinationUrl('http://10.1.1.1/x', false)).toThrow();
    expect(() => assertSafeDestinationUrl('http://localhost:3000/x', false)).toThrow();
    expect(assertSafeDestinationUrl('http://10.1.1.1/x', true)).toBe('http://10.1.1.1/x');
    expect(assertSafeDestinationUrl('https://hooks.example.com/x', false)).toBe('https://hooks.example.com/x');
  });
});

describe('retry schedule', () => {
  it('adds up to 10% jitter and honours a longer Retry-After', () => {
    expect(retryDelay([1000, 2000], 0, null, () => 0)).toBe(1000);
    expect(retryDelay([1000, 2000], 1, null, () => 0.999)).toBe(2199);
    expect(retryDelay([1000, 2000], 0, 5000, () => 0.5)).toBe(5000);
    expect(retryDelay([1000, 2000], 2, null)).toBeNull();
  });
});

describe('signing and ids', () => {
  it('signs per Standard Webhooks, verified by the reference library', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = JSON.stringify({ id: 'evt', type: 'ticket.created' });
    const headers = signWebhook(secret, 'evt', body);
    expect(headers['webhook-id']).toBe('evt');
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });
  it('computes the reference library\'s signature byte for byte (node:crypto HMAC), multibyte bodies included', () => {
    const secret = `whsec_${Buffer.from('a secret key with some length!!').toString('base64')}`;
    const at = new Date('2025-06-01T12:00:00.900Z');
    const body = JSON.stringify({ id: 'evt', text: 'héllo ✓ 🎫' });
    expect(signWebhook(secret, 'msg_1', body, at)['webhook-signature']).toBe(new Webhook(secret).sign('msg_1', at, body));
    expect(signWebhook(secret, 'msg_1', body, at)['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
  });
  it('derives the same delivery id from the same event and destination', () => {
    expect(deliveryIdFor('webhook', 'ep', 'e1')).toBe(deliveryIdFor('webhook', 'ep', 'e1'));
    expect(deliveryIdFor('webhook', 'ep', 'e1')).not.toBe(deliveryIdFor('slack', 'ep', 'e1'));
  });
});

describe('Slack texts', () => {
  it('cuts texts over 3,000 chars with a marker', () => {
    expect(cutForSlack('short')).toBe('short');
    const cut = cutForSlack('é'.repeat(4000));
    expect(Array.from(cut).length).toBe(3000);
    expect(cut).toContain('truncated');
  });
});

describe('dispatcher without a checkpoint on an existing log', () => {
  const WS = '11111111-1111-4111-8111-111111111111';
  const NOW = Date.parse('2025-06-01T00:00:00Z');
  const endpointCreated = {
    id: 'e0',
    streamId: `webhook-endpoints-${WS}`,
    type: 'WebhookEndpointCreated',
    revision: 0,
    position: 1,
    data: { endpoint_id: 'ep1', id: 'ep1', url: 'https://hooks.example.com/x', events: ['*'], include_internal: false, enabled: true, description: null, secret: 'whsec_x', created_at: '' },
    metadata: { workspace_id: WS, occurred_at: '2025-01-01T00:00:00Z' },
    createdAt: '2025-01-01T00:00:00Z',
  };
  const customerCreated = (position: number, createdAt: string) => ({
    id: `c${position}`,
    streamId: `customer-${position}`,
    type: 'CustomerCreated',
    revision: 0,
    position,
    data: { customer_id: `cust-${position}`, email: 'a@example.com' },
    metadata: { workspace_id: WS, occurred_at: createdAt },
    createdAt,
  });

  function setup() {
    const store = { readStream: jest.fn(async (id: string) => (id === endpointCreated.streamId ? [endpointCreated] : [])) };
    const log = { createManyIfAbsent: jest.fn(async (records: unknown[]) => records.map(() => 'created')) };
    const add = jest.fn(async () => undefined);
    const silent = { info: () => undefined, warn: () => undefined };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const dispatcher = new Dispatcher(store as any, {} as any, log as any, { webhooks: { addBulk: add }, slack: { addBulk: add } } as any, silent as any, { now: () => NOW });
    return { dispatcher, log, add };
  }

  it('never dispatches events older than the delivery records reach (nothing could dedupe them)', async () => {
    const { dispatcher, log, add } = setup();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await dispatcher.dispatch(customerCreated(2, '2025-04-01T00:00:00Z') as any); // 61 days old
    expect(log.createManyIfAbsent).not.toHaveBeenCalled();
    expect(add).not.toHaveBeenCalled();
  });

  it('dispatches events within the retention; the delivery record decides whether a job is added', async () => {
    const { dispatcher, log, add } = setup();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await dispatcher.dispatch(customerCreated(3, '2025-05-20T00:00:00Z') as any);
    expect(log.createManyIfAbsent).toHaveBeenCalledTimes(1);
    expect(add).toHaveBeenCalledTimes(1);
    log.createManyIfAbsent.mockResolvedValueOnce(['succeeded']);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await dispatcher.dispatch(customerCreated(3, '2025-05-20T00:00:00Z') as any);
    expect(add).toHaveBeenCalledTimes(1); // delivered already: no second job
  });
});
