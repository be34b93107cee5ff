import { createHmac } from 'node:crypto';
import { systemContext, type CommandContext } from './command-context';
import { KeyedRequest, newEntityId } from './keyed-request';
import { generateSecretKey, generateWebhookSecret } from './secret-key';

const derive = (name: string) => createHmac('sha256', 'server key').update(name).digest();
const keyed = (seed: string, resuming = false): CommandContext => ({
  ...systemContext('w'),
  keyedRequest: new KeyedRequest(seed, 1_765_000_000_000, resuming, derive),
});
/** What a request asks for, in its order: two entity ids, a key, a webhook secret. */
const made = (context: CommandContext) => [newEntityId(context), newEntityId(context), generateSecretKey('ldk_', 40, context), generateWebhookSecret(context)];

describe('KeyedRequest', () => {
  it('a rerun under the same claim makes the same ids and secrets, in the same order; another claim makes others', () => {
    const first = made(keyed('seed-1'));
    expect(made(keyed('seed-1', true))).toEqual(first);
    expect(new Set(first).size).toBe(4);
    const other = made(keyed('seed-2'));
    other.forEach((value, i) => expect(value).not.toBe(first[i]));
  });

  it('keys keep their format; without a claim ids and secrets are random', () => {
    const [, , key, secret] = made(keyed('seed-1'));
    expect(key).toMatch(/^ldk_[0-9A-Za-z]{40}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    const plain = systemContext('w');
    expect(made(plain)).not.toEqual(made(plain));
  });

  it('secrets come from the server key: the seed alone does not give them', () => {
    const other = (name: string) => createHmac('sha256', 'another key').update(name).digest();
    const context: CommandContext = { ...systemContext('w'), keyedRequest: new KeyedRequest('seed-1', 1_765_000_000_000, false, other) };
    expect(generateSecretKey('ldk_', 40, context)).not.toBe(generateSecretKey('ldk_', 40, keyed('seed-1')));
  });

  it("event ids are UUIDv7 stamped with the claim's time, one per stream, command and place", () => {
    const request = new KeyedRequest('seed-1', 1_765_000_000_000, false);
    const id = request.eventId('ticket-1', 0, 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(1_765_000_000_000);
    const others = [request.eventId('ticket-2', 0, 0), request.eventId('ticket-1', 1, 0), request.eventId('ticket-1', 0, 1)];
    expect(new Set([id, ...others]).size).toBe(4);
    expect(new KeyedRequest('seed-1', 1_765_000_000_000, true).eventId('ticket-1', 0, 0)).toBe(id);
  });
});
