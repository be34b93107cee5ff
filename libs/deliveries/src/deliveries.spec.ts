import { Webhook } from 'standardwebhooks';
import { assertSafeDestinationUrl, isPrivateAddress } from './infrastructure/destination-safety';
import { cutForSlack } from './domain/slack-posting';
import { retryDelay, signWebhook } from './infrastructure/webhook-sender';
import { v5 as uuidv5 } from 'uuid';
import { deliveryIdFor } from './application/dispatcher';

describe('destination safety', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:10.0.0.1',
    '::ffff:7f00:1',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
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
  it("computes the reference library's signature byte for byte (node:crypto HMAC), multibyte bodies included", () => {
    const secret = `whsec_${Buffer.from('a secret key with some length!!').toString('base64')}`;
    const at = new Date('2025-06-01T12:00:00.900Z');
    const body = JSON.stringify({ id: 'evt', text: 'héllo ✓ 🎫' });
    expect(signWebhook(secret, 'msg_1', body, at)['webhook-signature']).toBe(new Webhook(secret).sign('msg_1', at, body));
    expect(signWebhook(secret, 'msg_1', body, at)['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
  });
  it('derives the same delivery id from the same event and destination, as it always did (ids dedupe across versions)', () => {
    expect(deliveryIdFor('webhook', 'ep', 'e1')).toBe(deliveryIdFor('webhook', 'ep', 'e1'));
    expect(deliveryIdFor('webhook', 'ep', 'e1')).not.toBe(deliveryIdFor('slack', 'ep', 'e1'));
    expect(deliveryIdFor('callback', 'inbox-é', 'e2')).toBe(uuidv5('callback:inbox-é:e2', '6f1d7f2e-5a43-4c1b-9a57-0d2f3c8e4b10'));
  });
});

describe('Slack texts', () => {
  it('cuts texts over 3,000 chars with a marker', () => {
    // An escaped character is never cut in half, wherever the cut falls.
    for (let shift = 0; shift < 4; shift++) {
      const body = cutForSlack(`${'x'.repeat(2950 + shift)}${'&lt;'.repeat(50)}`).split('\n')[0];
      expect(body).toMatch(/(x|&lt;)$/);
    }
    expect(cutForSlack('short')).toBe('short');
    const cut = cutForSlack('é'.repeat(4000));
    expect(Array.from(cut).length).toBe(3000);
    expect(cut).toContain('truncated');
  });
});
