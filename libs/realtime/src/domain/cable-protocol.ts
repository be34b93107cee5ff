/**
 * The /cable protocol (API.md section 10): what a client may send, what the server answers,
 * and the limits. Pure: the transport (apps/api/src/cable) and the hub use it.
 */

/** Close codes: 4401 bad or revoked credential, 4008 fell too far behind (resume with `after`). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_TOO_SLOW = 4008;
/** A malformed subscription, or a second one on the same socket. */
export const CLOSE_BAD_REQUEST = 4400;
/** More sockets than a session or key may hold. */
export const CLOSE_TOO_MANY_SOCKETS = 4429;
/** WebSocket's own "policy violation": more frames a second than allowed. */
export const CLOSE_POLICY = 1008;
/** No subscribe frame in time. */
export const CLOSE_SUBSCRIBE_TIMEOUT = 4000;

export const LIMITS = {
  framesInPerSecond: 100,
  /** A subscriber this many events behind is closed with 4008. */
  maxEventsBehind: 1_000,
  socketsPerSession: 10,
  socketsPerWorkspaceKey: 200,
  /** Well under the contract's 30 s. */
  pingIntervalMs: 25_000,
  subscribeTimeoutMs: 10_000,
  /** Largest frame a client may send (a subscribe frame is small). */
  maxInboundBytes: 4_096,
} as const;

export type Credential = { kind: 'contact'; pubsubToken: string } | { kind: 'staff'; apiKey: string };

export interface SubscribeRequest {
  credential: Credential;
  /** Resume: every visible event with a greater position first. Null: live from the head. */
  after: number | null;
}

export type ClientFrame = { type: 'subscribe'; request: SubscribeRequest } | { type: 'ping' } | { type: 'pong' };

export type ParseResult = { ok: true; frame: ClientFrame } | { ok: false; message: string };

const API_KEY = /^ldk_[A-Za-z0-9]{32,}$/;
const PUBSUB_TOKEN = /^ldps_[A-Za-z0-9]{20,200}$/;
const SUBSCRIBE_FIELDS = new Set(['type', 'pubsub_token', 'api_key', 'after']);

/**
 * A text frame from the client. A subscribe names exactly one credential; `after` is a
 * non-negative safe integer. A credential of the wrong shape is a bad credential (401 then),
 * not a malformed frame: the client learns nothing about formats.
 */
export function parseClientFrame(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Frames are JSON objects' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'Frames are JSON objects' };
  const frame = value as Record<string, unknown>;
  if (frame.type === 'ping' || frame.type === 'pong') return { ok: true, frame: { type: frame.type } };
  if (frame.type !== 'subscribe') return { ok: false, message: 'type must be "subscribe"' };
  const unknown = Object.keys(frame).filter((k) => !SUBSCRIBE_FIELDS.has(k));
  if (unknown.length > 0) return { ok: false, message: `Unknown field: ${unknown[0]}` };
  const hasToken = frame.pubsub_token !== undefined;
  const hasKey = frame.api_key !== undefined;
  if (hasToken === hasKey) return { ok: false, message: 'Exactly one of pubsub_token and api_key is required' };
  const credentialValue = hasToken ? frame.pubsub_token : frame.api_key;
  if (typeof credentialValue !== 'string') return { ok: false, message: `${hasToken ? 'pubsub_token' : 'api_key'} must be a string` };
  let after: number | null = null;
  if (frame.after !== undefined && frame.after !== null) {
    if (typeof frame.after !== 'number' || !Number.isSafeInteger(frame.after) || frame.after < 0) {
      return { ok: false, message: 'after must be a non-negative integer (a position)' };
    }
    after = frame.after;
  }
  const credential: Credential = hasToken ? { kind: 'contact', pubsubToken: credentialValue } : { kind: 'staff', apiKey: credentialValue };
  return { ok: true, frame: { type: 'subscribe', request: { credential, after } } };
}

/** Could this credential be valid at all (anything else is refused without a lookup)? */
export const credentialWellFormed = (credential: Credential): boolean =>
  credential.kind === 'staff' ? API_KEY.test(credential.apiKey) : PUBSUB_TOKEN.test(credential.pubsubToken);

/** Server → client frames. */
export type ServerFrame =
  | { type: 'subscribed'; position: number }
  | { type: 'event'; position: number; event: string; data: unknown }
  /** Typing: real time only, so no position (never replayed). */
  | { type: 'event'; event: 'conversation.typing_on' | 'conversation.typing_off'; data: unknown }
  | { type: 'ping' }
  | { type: 'error'; code: string; message?: string };

/**
 * Frames in per second, over a sliding one-second window of whole-second buckets: cheap and
 * exact enough for a policy limit.
 */
export class InboundRate {
  private second = -1;
  private count = 0;

  constructor(private readonly perSecond: number = LIMITS.framesInPerSecond) {}

  /** Counts a frame at `nowMs`; false once the limit is exceeded. */
  allow(nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.count = 0;
    }
    this.count++;
    return this.count <= this.perSecond;
  }
}
