import type { Redis } from 'ioredis';

/**
 * The delivery log: one record per (event, destination), with every attempt. It lives in
 * Redis, beside the BullMQ jobs it describes, so "job done" and "success recorded" share one
 * durability domain (the embedded Redis runs with appendonly). Records are kept 30 days.
 *
 * Keys (prefix `ld:dlv:`):
 *   ld:dlv:rec:<delivery id>        JSON record
 *   ld:dlv:idx:<destination key>    ZSET delivery ids by event position (newest last)
 *   ld:dlv:ord:<ordering key>       ZSET of the destination's not-yet-finished deliveries of
 *                                   one ticket, by event position: only the head is attempted
 */
export type DeliveryKind = 'webhook' | 'slack' | 'callback';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface DeliveryAttempt {
  at: string;
  response_status: number | null;
  duration_ms: number;
  error: string | null;
}

export interface DeliveryRecord {
  id: string;
  kind: DeliveryKind;
  workspace_id: string;
  /** Endpoint id, inbox id or Slack channel id. */
  destination_id: string;
  /** `wh-<endpoint id>`, `cb-<inbox id>`, `slack-<workspace id>`: what the log is listed by. */
  destination_key: string;
  ordering_key: string | null;
  event_id: string;
  event_type: string;
  position: number;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Attempts made since the current retry round started (a manual retry starts a new one). */
  round_attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  finished_at: string | null;
  /** Webhooks/callbacks: the JSON body as sent. Slack: the post (channel, text, root or reply). */
  payload: Record<string, unknown>;
}

/** How long a delivery record (and so its de-duplication) outlives its last write. */
export const DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600;
const RETENTION_SECONDS = DELIVERY_RETENTION_SECONDS;
const rec = (id: string) => `ld:dlv:rec:${id}`;
const idx = (destinationKey: string) => `ld:dlv:idx:${destinationKey}`;
const ord = (orderingKey: string) => `ld:dlv:ord:${orderingKey}`;

/**
 * Creates the record, and enters it into the list and the ordering set, only if it does not
 * exist yet: a re-dispatch after a crash must neither reset a record nor put a finished
 * delivery back at the head of its ordering set. Returns the stored status.
 */
const CREATE_SCRIPT = `
local created = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[4])
if created then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  if KEYS[3] ~= '' then redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3]) end
  return 'created'
end
local existing = redis.call('GET', KEYS[1])
return cjson.decode(existing)['status']
`;

type WithCreateCommand = { ldDeliveryCreate(...args: string[]): Promise<string> };

export class DeliveryLog {
  constructor(private readonly redis: Redis) {
    // EVALSHA with a fallback to EVAL, usable in pipelines.
    if (!(redis as unknown as Partial<WithCreateCommand>).ldDeliveryCreate) redis.defineCommand('ldDeliveryCreate', { numberOfKeys: 3, lua: CREATE_SCRIPT });
  }

  private createArgs(record: DeliveryRecord): string[] {
    return [
      rec(record.id),
      idx(record.destination_key),
      record.ordering_key ? ord(record.ordering_key) : '',
      JSON.stringify(record),
      String(record.position),
      record.id,
      String(RETENTION_SECONDS),
    ];
  }

  /** 'created' or the status of the record that was already there. */
  async createIfAbsent(record: DeliveryRecord): Promise<'created' | DeliveryStatus> {
    return (await (this.redis as unknown as WithCreateCommand).ldDeliveryCreate(...this.createArgs(record))) as 'created' | DeliveryStatus;
  }

  /** createIfAbsent for many records in one round trip (a pipeline), results in order. */
  async createManyIfAbsent(records: DeliveryRecord[]): Promise<Array<'created' | DeliveryStatus>> {
    if (records.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const record of records) (pipeline as unknown as WithCreateCommand).ldDeliveryCreate(...this.createArgs(record));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return value as 'created' | DeliveryStatus;
    });
  }

  async get(id: string): Promise<DeliveryRecord | null> {
    const raw = await this.redis.get(rec(id));
    return raw ? (JSON.parse(raw) as DeliveryRecord) : null;
  }

  async save(record: DeliveryRecord): Promise<void> {
    await this.redis.set(rec(record.id), JSON.stringify(record), 'EX', RETENTION_SECONDS);
  }

  /** Records one attempt (and the outcome it led to) in one write. */
  async recordAttempt(record: DeliveryRecord, attempt: DeliveryAttempt, outcome: Pick<DeliveryRecord, 'status' | 'next_attempt_at'>): Promise<DeliveryRecord> {
    const next: DeliveryRecord = {
      ...record,
      ...outcome,
      attempts: [...record.attempts, attempt],
      round_attempts: record.round_attempts + 1,
      finished_at: outcome.status === 'pending' ? null : attempt.at,
    };
    await this.save(next);
    return next;
  }

  /** Newest first; `beforePosition` is the keyset cursor (deliveries per destination have distinct positions). */
  async list(destinationKey: string, limit: number, beforePosition: number | null): Promise<{ records: DeliveryRecord[]; total: number; hasMore: boolean }> {
    const max = beforePosition === null ? '+inf' : `(${beforePosition}`;
    const ids = await this.redis.zrevrangebyscore(idx(destinationKey), max, '-inf', 'LIMIT', 0, limit + 1);
    const total = await this.redis.zcard(idx(destinationKey));
    const page = ids.slice(0, limit);
    const raws = page.length ? await this.redis.mget(page.map(rec)) : [];
    const records = raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as DeliveryRecord);
    return { records, total, hasMore: ids.length > limit };
  }

  /** The delivery that must go first among the unfinished ones of an ordering key. */
  async head(orderingKey: string): Promise<string | null> {
    const [first] = await this.redis.zrange(ord(orderingKey), '0', '0');
    return first ?? null;
  }

  async orderScore(orderingKey: string, id: string): Promise<number | null> {
    const score = await this.redis.zscore(ord(orderingKey), id as string);
    return score === null ? null : Number(score);
  }

  /** Leaves the ordering set; returns the new head. */
  async leaveOrdering(orderingKey: string, id: string): Promise<string | null> {
    await this.redis.zrem(ord(orderingKey), id);
    return this.head(orderingKey);
  }
}

export function toDeliveryView(record: DeliveryRecord) {
  return {
    id: record.id,
    event_id: record.event_id,
    event_type: record.event_type,
    status: record.status,
    attempts: record.attempts,
    next_attempt_at: record.next_attempt_at,
    created_at: record.created_at,
  };
}
