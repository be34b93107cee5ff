import { InboundRate, credentialWellFormed, parseClientFrame } from './cable-protocol';

describe('cable protocol', () => {
  const key = 'ldk_' + 'a'.repeat(32);

  it('reads a staff or contact subscribe, with or without after', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'subscribe', api_key: key }))).toEqual({
      ok: true,
      frame: { type: 'subscribe', request: { credential: { kind: 'staff', apiKey: key }, after: null } },
    });
    expect(parseClientFrame(JSON.stringify({ type: 'subscribe', pubsub_token: 'ldps_x', after: 42 }))).toEqual({
      ok: true,
      frame: { type: 'subscribe', request: { credential: { kind: 'contact', pubsubToken: 'ldps_x' }, after: 42 } },
    });
  });

  it.each([
    ['not json', 'Frames are JSON objects'],
    ['[1]', 'Frames are JSON objects'],
    ['{"type":"hello"}', 'type must be "subscribe"'],
    ['{"type":"subscribe"}', 'Exactly one of pubsub_token and api_key is required'],
    [`{"type":"subscribe","api_key":"${key}","pubsub_token":"ldps_x"}`, 'Exactly one of pubsub_token and api_key is required'],
    ['{"type":"subscribe","api_key":7}', 'api_key must be a string'],
    ['{"type":"subscribe","pubsub_token":"x","after":-1}', 'after must be a non-negative integer (a position)'],
    ['{"type":"subscribe","pubsub_token":"x","after":1.5}', 'after must be a non-negative integer (a position)'],
    ['{"type":"subscribe","pubsub_token":"x","after":"3"}', 'after must be a non-negative integer (a position)'],
    ['{"type":"subscribe","pubsub_token":"x","channel":"y"}', 'Unknown field: channel'],
  ])('refuses %s', (text, message) => {
    expect(parseClientFrame(text)).toEqual({ ok: false, message });
  });

  it('keepalive frames are accepted and do nothing', () => {
    expect(parseClientFrame('{"type":"ping"}')).toEqual({ ok: true, frame: { type: 'ping' } });
  });

  it('a credential of the wrong shape is refused without a lookup', () => {
    expect(credentialWellFormed({ kind: 'staff', apiKey: key })).toBe(true);
    expect(credentialWellFormed({ kind: 'staff', apiKey: 'ldi_' + 'a'.repeat(32) })).toBe(false);
    expect(credentialWellFormed({ kind: 'contact', pubsubToken: 'ldps_' + 'b'.repeat(40) })).toBe(true);
    expect(credentialWellFormed({ kind: 'contact', pubsubToken: 'lds_' + 'b'.repeat(32) })).toBe(false);
  });

  it('allows 100 frames a second, not 101, and counts each second afresh', () => {
    const rate = new InboundRate(100);
    for (let i = 0; i < 100; i++) expect(rate.allow(5_000 + i)).toBe(true);
    expect(rate.allow(5_999)).toBe(false);
    expect(rate.allow(6_000)).toBe(true);
  });
});
