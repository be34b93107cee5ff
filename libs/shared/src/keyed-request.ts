import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { stringify } from 'uuid';
import { nameBasedIds } from './name-based-ids';

const entityIds = nameBasedIds('5d0c2b7e-8f41-4a96-b3e2-71c9a4d08f5b');

/**
 * A request made under an Idempotency-Key. Every id it creates (entities' and events') is
 * derived from the seed its key was first claimed with, so a retry of a request whose process
 * died part-way names the same things: the command runner finds which of its appends were
 * already written, hands their outcomes back, and writes only the rest (`resuming`). The ids
 * come out in the order the request asks for them, which a rerun of the same code repeats.
 */
export class KeyedRequest {
  private idsIssued = 0;
  private secretsIssued = 0;
  private wroteAny = false;
  private readonly stepsByStream = new Map<string, number>();

  constructor(
    /** Random, kept with the key's claim. */
    readonly seed: string,
    /** When the key was first claimed (ms): the time part of event ids, and a bound for finding them. */
    readonly claimedAt: number,
    /** The key's first attempt may have written some of the request before its process died. */
    readonly resuming: boolean,
    /**
     * A keyed hash under a server key (SecretBox.derive): the request's secrets (keys, tokens)
     * come from it, so a rerun issues the same ones and nobody can work them out from the seed.
     * Without it they are random, and a rerun that issues one cannot complete.
     */
    private readonly derive?: (name: string) => Buffer,
  ) {}

  /** Whether this attempt appended or found written any of the request: a retry must resume it, not start anew. */
  get wrote(): boolean {
    return this.wroteAny;
  }

  noteWrite(): void {
    this.wroteAny = true;
  }

  /** The next entity id (a ticket's, a message's) this request creates. */
  newId(): string {
    return entityIds(`${this.seed}:${this.idsIssued++}`);
  }

  /** `count` bytes for the next secret this request issues. */
  secretBytes(count: number): Buffer {
    const secret = this.secretsIssued++;
    if (!this.derive) return randomBytes(count);
    const blocks: Buffer[] = [];
    for (let block = 0; blocks.length * 32 < count; block++) blocks.push(this.derive(`${this.seed}\nsecret\n${secret}\n${block}`));
    return Buffer.concat(blocks).subarray(0, count);
  }

  /** Which command of this request on `streamId` this is (0, 1, ...): counted once per command. */
  nextStep(streamId: string): number {
    const step = this.stepsByStream.get(streamId) ?? 0;
    this.stepsByStream.set(streamId, step + 1);
    return step;
  }

  /**
   * The id of the `index`th event the request's `step`th command appends to `streamId`: a
   * UUIDv7 stamped with the claim time (ids stay time-ordered for the log's index) whose other
   * bits come from the seed and the event's place.
   */
  eventId(streamId: string, step: number, index: number): string {
    const bytes = createHash('sha256').update(`${this.seed}\n${streamId}\n${step}\n${index}`).digest().subarray(0, 16);
    bytes.writeUIntBE(this.claimedAt, 0, 6);
    bytes[6] = (bytes[6] & 0x0f) | 0x70;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    return stringify(bytes);
  }
}

/** A new entity id: derived from the request's Idempotency-Key claim when it has one, else random. */
export const newEntityId = (context: { keyedRequest?: KeyedRequest }): string => context.keyedRequest?.newId() ?? randomUUID();
