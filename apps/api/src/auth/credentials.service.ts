import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { LogPositionTracker } from '@ledgerdesk/event-sourcing';
import { INFRASTRUCTURE, ReadConsistency, type Infrastructure } from '@ledgerdesk/infrastructure';
import type { EventStore } from '@ledgerdesk/event-store';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { INBOX_KEYS_COLLECTION } from '@ledgerdesk/inboxes';
import { hashSecret } from '@ledgerdesk/shared';
import { API_KEYS_COLLECTION, WORKSPACES_COLLECTION, type ApiKeyDocument, type WorkspaceDocument } from '@ledgerdesk/workspaces';
import { AccessCache } from './access-cache';
import type { Principal } from './principal';

/** A revoked key must fail within one second: cache well under that. */
const CACHE_TTL_MS = 400;
const CACHE_MAX = 10_000;

/**
 * Resolves bearer credentials to principals from the credentials read model (never the event
 * store), with a short in-process cache so the hot path is a cache lookup.
 */
@Injectable()
export class CredentialsService {
  private readonly cache = new AccessCache<{ principal: Principal | null }>(CACHE_TTL_MS, CACHE_MAX);
  private readonly accessCaches: Array<() => void> = [];
  private readonly adminDigest: Buffer;

  private readonly eventStore: EventStore;

  constructor(
    @Inject(INFRASTRUCTURE) infrastructure: Infrastructure,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly consistency: ReadConsistency,
    private readonly positions: LogPositionTracker,
  ) {
    this.adminDigest = digest(infrastructure.adminToken);
    this.eventStore = infrastructure.eventStore;
  }

  isAdminToken(token: string): boolean {
    return timingSafeEqual(digest(token), this.adminDigest);
  }

  async resolveKey(key: string): Promise<Principal | null> {
    // Cached by the key itself: a hit costs no hashing.
    const cached = this.cache.peek(key);
    if (cached) return cached.value.principal;
    return (await this.cache.fill(key, async () => ({ principal: await this.principalOf(hashSecret(key)) }))).principal;
  }

  private async principalOf(hash: string): Promise<Principal | null> {
    const principal = await this.lookup(hash);
    if (principal) return principal;
    // A key created a moment ago, by this process or another one sharing the log, may not be
    // projected here yet: wait (bounded) for the read models to reach the log's head.
    const head = Math.max(this.positions.lastWritten, await this.eventStore.headPosition());
    await this.consistency.waitFor(head, 2_000);
    return this.lookup(hash);
  }

  /**
   * After a write that changes who may do what (a revoked key, a workspace deactivated), wait
   * until the credentials read models have it and drop this process's cache, so the change
   * holds from this process's next request on. Other API processes follow within the TTL.
   */
  async afterCredentialChange(position: number | null): Promise<void> {
    if (position) await this.consistency.waitFor(position, 2_000);
    this.cache.clear();
    for (const forget of this.accessCaches) forget();
  }

  /** Another cache of who may do what (the client API's inboxes), dropped with this one's. */
  onAccessChange(forget: () => void): void {
    this.accessCaches.push(forget);
  }

  private async lookup(hash: string): Promise<Principal | null> {
    // Workspace keys (workspaces projection) and inbox keys (inboxes projection) live in the
    // collections of their own projections, so each survives the other's rebuild.
    const [workspaceKey, inboxKey] = await Promise.all([
      this.readStore.collection<ApiKeyDocument>(API_KEYS_COLLECTION).findOne({ key_hash: hash }),
      this.readStore.collection<ApiKeyDocument>(INBOX_KEYS_COLLECTION).findOne({ key_hash: hash }),
    ]);
    const key = workspaceKey ?? inboxKey;
    if (!key || key.revoked) return null;
    const workspace = await this.readStore.collection<WorkspaceDocument>(WORKSPACES_COLLECTION).findOne({ _id: key.workspace_id });
    if (!workspace) return null;
    const subscriptionActive = workspace.subscription_status === 'active';
    return key.kind === 'inbox' && key.inbox_id
      ? { kind: 'inbox', workspaceId: key.workspace_id, inboxId: key.inbox_id, keyId: key.id, subscriptionActive }
      : { kind: 'workspace', workspaceId: key.workspace_id, keyId: key.id, subscriptionActive };
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();
