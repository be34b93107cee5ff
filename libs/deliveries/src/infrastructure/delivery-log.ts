import type { Redis } from 'ioredis';
import { BEGIN_SCRIPT, CREATE_SCRIPT, FINISH_SCRIPT } from './delivery-log.scripts';

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
 *   ld:dlv:own:<delivery id>        the job that owns the pending delivery (may attempt it);
 *                                   '' while it waits behind the head of its ordering set
 *   ld:dlv:job:<job id>             SET of the deliveries a job was given
 *
 * Ownership is what makes one job carry many deliveries without ever attempting one twice at
 * once: a job attempts only the deliveries it owns, and every change of owner happens inside
 * one of the scripts below. The dispatcher shares the heads of a batch out among new jobs; a
 * delivery behind an earlier one of its ticket has no job: the script that settles the earlier
 * one hands it to the same job, which carries on with it. A retry (or a Slack pause) hands the
 * delivery to a new, delayed job. A job's set keeps every delivery it was given, so a job run
 * again after a crash finds what it still owns, and what it handed over (whose job it then
 * makes sure exists).
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
const RETENTION = String(DELIVERY_RETENTION_SECONDS);
const REC = 'ld:dlv:rec:';
const OWN = 'ld:dlv:own:';
const JOB = 'ld:dlv:job:';
const ORD = 'ld:dlv:ord:';
const rec = (id: string) => `${REC}${id}`;
const idx = (destinationKey: string) => `ld:dlv:idx:${destinationKey}`;
const ord = (orderingKey: string | null) => (orderingKey ? `${ORD}${orderingKey}` : '');

type Scripts = {
  ldDeliveryCreate(...args: string[]): Promise<[string, string | null, string | null]>;
  ldDeliveryBegin(...args: string[]): Promise<Array<string | null>>;
  ldDeliveryFinish(...args: string[]): Promise<[string, string | null] | null>;
};

/** What the dispatcher learns when it creates a record. */
export interface CreateOutcome {
  /** 'created', or the status of the record that was already there. */
  status: 'created' | DeliveryStatus;
  /** The job that owns the pending delivery; null when it is finished or waits behind an earlier one. */
  owner: string | null;
  /** When the owning job is due (a retry). */
  nextAttemptAt: string | null;
}

/** What a job finds when it starts (see BEGIN_SCRIPT). */
export interface JobDeliveries {
  due: DeliveryRecord[];
  settled: DeliveryRecord[];
  handed: Array<{ id: string; owner: string; nextAttemptAt: string | null }>;
}

/** The delivery that may go next once one is settled: given to the same job, or (queued before jobs owned deliveries) to be woken. */
export type NextDelivery = { claimed: DeliveryRecord } | { wake: string } | null;

export class DeliveryLog {
  constructor(private readonly redis: Redis) {
    // EVALSHA with a fallback to EVAL, usable in pipelines.
    const scripts = redis as unknown as Partial<Scripts>;
    if (!scripts.ldDeliveryCreate) redis.defineCommand('ldDeliveryCreate', { numberOfKeys: 4, lua: CREATE_SCRIPT });
    if (!scripts.ldDeliveryBegin) redis.defineCommand('ldDeliveryBegin', { numberOfKeys: 1, lua: BEGIN_SCRIPT });
    if (!scripts.ldDeliveryFinish) redis.defineCommand('ldDeliveryFinish', { numberOfKeys: 3, lua: FINISH_SCRIPT });
  }

  private get scripts(): Scripts {
    return this.redis as unknown as Scripts;
  }

  /**
   * Creates each record unless it exists (see CREATE_SCRIPT), proposing `owner` as its job, in
   * one round trip (a pipeline), results in order.
   */
  async createManyIfAbsent(entries: Array<{ record: DeliveryRecord; owner: string }>): Promise<CreateOutcome[]> {
    if (entries.length === 0) return [];
    const pipeline = this.redis.pipeline() as unknown as Scripts & { exec(): Promise<Array<[Error | null, unknown]> | null> };
    for (const { record, owner } of entries) {
      pipeline.ldDeliveryCreate(
        rec(record.id),
        idx(record.destination_key),
        ord(record.ordering_key),
        `${OWN}${record.id}`,
        JSON.stringify(record),
        String(record.position),
        record.id,
        RETENTION,
        owner,
        JOB,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      const [status, owner, nextAttemptAt] = value as [CreateOutcome['status'], string | null, string | null];
      return { status, owner: owner || null, nextAttemptAt: nextAttemptAt || null };
    });
  }

  /** The deliveries job `jobId` owns, in one round trip (see BEGIN_SCRIPT). */
  async jobDeliveries(jobId: string, legacyDeliveryId = ''): Promise<JobDeliveries> {
    const flat = await this.scripts.ldDeliveryBegin(`${JOB}${jobId}`, jobId, legacyDeliveryId, REC, OWN, ORD, JOB, RETENTION);
    const found: JobDeliveries = { due: [], settled: [], handed: [] };
    for (let i = 0; i < flat.length; i += 4) {
      const [id, kind, value, nextAt] = flat.slice(i, i + 4) as [string, string, string, string | null];
      if (kind === 'handed') found.handed.push({ id, owner: value, nextAttemptAt: nextAt || null });
      else (kind === 'due' ? found.due : found.settled).push(JSON.parse(value) as DeliveryRecord);
    }
    return found;
  }

  /**
   * Records the last attempt of a delivery that is settled (succeeded or failed); it leaves its
   * ordering set in the same script, and the next one there is given to job `jobId` (see
   * FINISH_SCRIPT). `last`: the job has nothing else to do (its set goes).
   */
  async finish(
    record: DeliveryRecord,
    attempt: DeliveryAttempt,
    status: 'succeeded' | 'failed',
    jobId: string,
    last: boolean,
  ): Promise<{ record: DeliveryRecord; next: NextDelivery }> {
    const saved = withAttempt(record, attempt, { status, next_attempt_at: null });
    return { record: saved, next: await this.runFinish(saved, JSON.stringify(saved), '', jobId, last) };
  }

  /** Lets a delivery found finished leave its ordering set (a worker died in between), handing the next one over. */
  async release(record: DeliveryRecord, jobId: string, last: boolean): Promise<NextDelivery> {
    return this.runFinish(record, '', '', jobId, last);
  }

  /**
   * Hands a pending delivery to another job (that the caller then queues): with an attempt, a
   * retry at `nextAttemptAt`; without, a pause that records nothing.
   */
  async handOver(record: DeliveryRecord, attempt: DeliveryAttempt | null, nextAttemptAt: string | null, jobId: string): Promise<DeliveryRecord> {
    const saved = attempt ? withAttempt(record, attempt, { status: 'pending', next_attempt_at: nextAttemptAt }) : record;
    await this.runFinish(saved, attempt ? JSON.stringify(saved) : '', jobId, '', false);
    return saved;
  }

  /** A finished delivery starts a new round of the retry schedule, owned by job `jobId` (a manual retry). */
  async reopen(record: DeliveryRecord, jobId: string): Promise<DeliveryRecord> {
    const reopened: DeliveryRecord = { ...record, status: 'pending', round_attempts: 0, next_attempt_at: null, finished_at: null };
    await this.runFinish(reopened, JSON.stringify(reopened), jobId, '', false);
    return reopened;
  }

  private async runFinish(record: DeliveryRecord, json: string, handTo: string, jobId: string, last: boolean): Promise<NextDelivery> {
    const next = await this.scripts.ldDeliveryFinish(
      rec(record.id),
      ord(record.ordering_key),
      `${OWN}${record.id}`,
      json,
      RETENTION,
      record.id,
      handTo,
      jobId,
      last ? '1' : '0',
      REC,
      OWN,
      JOB,
    );
    if (!next) return null;
    return next[1] ? { claimed: JSON.parse(next[1]) as DeliveryRecord } : { wake: next[0] };
  }

  /** The job that owns a pending delivery: '' while it waits behind an earlier one, null when none is recorded. */
  async ownerOf(id: string): Promise<string | null> {
    return this.redis.get(`${OWN}${id}`);
  }

  /** Forgets a finished job's set of deliveries. */
  async forgetJob(jobId: string): Promise<void> {
    await this.redis.del(`${JOB}${jobId}`);
  }

  async get(id: string): Promise<DeliveryRecord | null> {
    const raw = await this.redis.get(rec(id));
    return raw ? (JSON.parse(raw) as DeliveryRecord) : null;
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
}

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
