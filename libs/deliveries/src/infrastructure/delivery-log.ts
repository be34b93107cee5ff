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
 * delivery back at the head of its ordering set. Returns the stored status, with `+behind`
 * when the (pending) delivery waits behind an earlier one of its ordering set: the dispatcher
 * queues only heads at once, the others are woken by the delivery they wait for.
 */
const CREATE_SCRIPT = `
local status = 'created'
local created = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[4])
if created then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  if KEYS[3] ~= '' then redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3]) end
else
  status = cjson.decode(redis.call('GET', KEYS[1]))['status']
end
if KEYS[3] ~= '' and (status == 'created' or status == 'pending') then
  local head = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
  if head and head ~= ARGV[3] then return status .. '+behind' end
end
return status
`;

/**
 * What a worker needs before an attempt, in one round trip: the record and, when it is pending
 * in an ordering set, whether it is the head; when it is not, the head's next attempt time
 * (how long to park). Returns {record or false, head or false, in ordering set 1/0, head's
 * next_attempt_at or false}.
 */
const BEGIN_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return {false, false, 0, false} end
local record = cjson.decode(raw)
local key = record['ordering_key']
if record['status'] ~= 'pending' or type(key) ~= 'string' then return {raw, false, 0, false} end
local ord = ARGV[1] .. key
local head = redis.call('ZRANGE', ord, 0, 0)[1] or false
if not head or head == record['id'] then return {raw, head, 1, false} end
if not redis.call('ZSCORE', ord, record['id']) then return {raw, head, 0, false} end
local headRaw = redis.call('GET', ARGV[2] .. head)
local nextAt = false
if headRaw then
  local value = cjson.decode(headRaw)['next_attempt_at']
  if type(value) == 'string' then nextAt = value end
end
return {raw, head, 1, nextAt}
`;

/**
 * Saves the record (unless ARGV[1] is empty) and, with ARGV[4] = '1', leaves the ordering set
 * KEYS[2]; returns the new head of that set (or false). One round trip for "attempt recorded,
 * next one may go".
 */
const FINISH_SCRIPT = `
if ARGV[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
if KEYS[2] == '' then return false end
if ARGV[4] == '1' then redis.call('ZREM', KEYS[2], ARGV[3]) end
return redis.call('ZRANGE', KEYS[2], 0, 0)[1] or false
`;

type WithCreateCommand = {
  ldDeliveryCreate(...args: string[]): Promise<string>;
  ldDeliveryBegin(...args: string[]): Promise<[string | null, string | null, number, string | null]>;
  ldDeliveryFinish(...args: string[]): Promise<string | null>;
};

/** A delivery as a worker finds it before an attempt (see BEGIN_SCRIPT). */
export interface DeliveryBegin {
  record: DeliveryRecord | null;
  /** Head of the record's ordering set (null: none, or the record is not pending). */
  head: string | null;
  /** Whether the record is still in its ordering set (a manual retry of a finished one is not). */
  ordered: boolean;
  /** The head's next_attempt_at when the record waits behind it. */
  headNextAttemptAt: string | null;
}

export class DeliveryLog {
  constructor(private readonly redis: Redis) {
    // EVALSHA with a fallback to EVAL, usable in pipelines.
    const scripts = redis as unknown as Partial<WithCreateCommand>;
    if (!scripts.ldDeliveryCreate) redis.defineCommand('ldDeliveryCreate', { numberOfKeys: 3, lua: CREATE_SCRIPT });
    if (!scripts.ldDeliveryBegin) redis.defineCommand('ldDeliveryBegin', { numberOfKeys: 1, lua: BEGIN_SCRIPT });
    if (!scripts.ldDeliveryFinish) redis.defineCommand('ldDeliveryFinish', { numberOfKeys: 2, lua: FINISH_SCRIPT });
  }

  private get scripts(): WithCreateCommand {
    return this.redis as unknown as WithCreateCommand;
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

  /**
   * 'created' or the status of the record that was already there; `+behind` is appended when
   * the pending delivery is not the head of its ordering set.
   */
  async createIfAbsent(record: DeliveryRecord): Promise<CreateOutcome> {
    return (await this.scripts.ldDeliveryCreate(...this.createArgs(record))) as CreateOutcome;
  }

  /** createIfAbsent for many records in one round trip (a pipeline), results in order. */
  async createManyIfAbsent(records: DeliveryRecord[]): Promise<CreateOutcome[]> {
    if (records.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const record of records) (pipeline as unknown as WithCreateCommand).ldDeliveryCreate(...this.createArgs(record));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return value as CreateOutcome;
    });
  }

  /** The record and its place in its ordering set, in one round trip. */
  async begin(id: string): Promise<DeliveryBegin> {
    const [raw, head, ordered, nextAt] = await this.scripts.ldDeliveryBegin(rec(id), ord(''), rec(''));
    return { record: raw ? (JSON.parse(raw) as DeliveryRecord) : null, head: head || null, ordered: ordered === 1, headNextAttemptAt: nextAt || null };
  }

  /**
   * Records one attempt and the outcome it led to; a settled delivery (succeeded or failed)
   * also leaves its ordering set in the same script. Returns the saved record and, when it
   * left, the new head of its ordering set (the delivery that may go next).
   */
  async finishAttempt(record: DeliveryRecord, attempt: DeliveryAttempt, outcome: Pick<DeliveryRecord, 'status' | 'next_attempt_at'>): Promise<{ record: DeliveryRecord; next: string | null }> {
    const saved = withAttempt(record, attempt, outcome);
    const leave = outcome.status !== 'pending' && record.ordering_key !== null;
    const next = await this.scripts.ldDeliveryFinish(rec(record.id), leave ? ord(record.ordering_key as string) : '', JSON.stringify(saved), String(RETENTION_SECONDS), record.id, leave ? '1' : '0');
    return { record: saved, next: next || null };
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
    const next = withAttempt(record, attempt, outcome);
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

  /** Leaves the ordering set; returns the new head (one round trip). */
  async leaveOrdering(orderingKey: string, id: string): Promise<string | null> {
    return (await this.scripts.ldDeliveryFinish('', ord(orderingKey), '', '0', id, '1')) || null;
  }

  /** Heads of many ordering sets in one round trip (a pipeline), in order. */
  async heads(orderingKeys: string[]): Promise<Array<string | null>> {
    if (orderingKeys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of orderingKeys) pipeline.zrange(ord(key), '0', '0');
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return (value as string[])[0] ?? null;
    });
  }
}

/** What the dispatcher learns when it creates a record: its status, `+behind` when it waits behind another. */
export type CreateOutcome = 'created' | DeliveryStatus | `${'created' | 'pending'}+behind`;

function withAttempt(record: DeliveryRecord, attempt: DeliveryAttempt, outcome: Pick<DeliveryRecord, 'status' | 'next_attempt_at'>): DeliveryRecord {
  return {
    ...record,
    ...outcome,
    attempts: [...record.attempts, attempt],
    round_attempts: record.round_attempts + 1,
    finished_at: outcome.status === 'pending' ? null : attempt.at,
  };
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
