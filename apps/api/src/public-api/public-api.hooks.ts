import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { FindContactSessionQuery, type ContactSession } from '@ledgerdesk/channel';
import { GetInboxByPublicIdentifierQuery, normalizeOrigin, type PublicInbox } from '@ledgerdesk/inboxes';
import { APP_CONFIG } from '@ledgerdesk/infrastructure';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import type { LedgerdeskConfig } from '@ledgerdesk/runtime';
import { characterCount } from '@ledgerdesk/shared';
import { WORKSPACES_COLLECTION, type WorkspaceDocument } from '@ledgerdesk/workspaces';
import { AccessCache } from '../auth/access-cache';
import { errorEnvelope } from '../http/error-codes';
import { requestPath } from '../http/request-path';

/** Base of the client API (API.md section 9); the next path segment is the inbox's public identifier. */
export const PUBLIC_API_PREFIX = '/public/api/v1/inboxes/';
export const MAX_CONTENT_CHARS = 20_000;

/** Inbox lookups kept this long: an inbox's settings (origins, enabled) hold everywhere within it. */
const CACHE_TTL_MS = 400;
const CACHE_MAX = 10_000;
/** Sessions known to exist on their inbox (for the rate-limit bucket only: the handlers check again). */
const KNOWN_SESSION_TTL_MS = 60_000;
const KNOWN_SESSIONS_MAX = 100_000;

const CORS_ALLOW_METHODS = 'GET, POST, PATCH, OPTIONS';
const CORS_ALLOW_HEADERS = 'Content-Type, Idempotency-Key, X-Request-Id';
const CORS_EXPOSE_HEADERS = 'X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Idempotent-Replayed';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

declare module 'fastify' {
  interface FastifyRequest {
    /** Client API requests: the inbox the path names, if it names one (enabled or not). */
    publicInbox?: PublicInbox | null;
  }
}

interface InboxEntry {
  inbox: PublicInbox | null;
  subscriptionActive: boolean;
}

export const isPublicApiPath = (path: string) => path.startsWith(PUBLIC_API_PREFIX);

/** Names a session in rate-limit and idempotency keys without keeping the bearer secret itself. */
const sessionTracker = (sourceId: string) => `session:${createHash('sha256').update(sourceId).digest('hex').slice(0, 32)}`;

/**
 * The client API's checks that come before the body is read, in the contract's order (API.md
 * section 9): the origin (403; CORS headers and preflight for allowed origins), then it hands the
 * rate-limit hook (429) and the subscription hook (402) a `contact` principal: limited per client
 * address for contact creation and calls without a session, per session otherwise. No bearer
 * credential: the public identifier names the inbox, the source_id is the session's credential.
 */
@Injectable()
export class PublicApiHooks {
  private readonly inboxes = new AccessCache<InboxEntry>(CACHE_TTL_MS, CACHE_MAX);
  /** source_id -> its inbox, for sessions found. */
  private readonly knownSessions = new LRUCache<string, string>({ max: KNOWN_SESSIONS_MAX, ttl: KNOWN_SESSION_TTL_MS });

  constructor(
    private readonly queries: QueryBus,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: LedgerdeskConfig,
  ) {}

  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const path = requestPath(request);
    if (!isPublicApiPath(path)) return undefined;
    // A matched route's values come from the router's params, not from the path's segments.
    const params = request.params as { public_identifier?: string; source_id?: string };
    const [segment = '', ...rest] = path.slice(PUBLIC_API_PREFIX.length).split('/');
    const { inbox, subscriptionActive } = await this.lookup(params.public_identifier ?? segment);
    request.publicInbox = inbox;

    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!this.allowedOrigin(request, origin, inbox)) {
        return reply.status(403).send(errorEnvelope(403, 'This origin may not use this inbox', { origin: ['not among the inbox allowed_origins'] }));
      }
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin').header('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    }
    if (request.method === 'OPTIONS') {
      return reply
        .header('Access-Control-Allow-Methods', CORS_ALLOW_METHODS)
        .header('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS)
        .header('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS)
        .status(204)
        .send();
    }

    const creatingContact = request.method === 'POST' && rest.length === 1 && rest[0] === 'contacts';
    const sourceId = rest[0] === 'contacts' && rest.length > 1 ? (params.source_id ?? rest[1]) : undefined;
    // A session's own budget only for a session that exists on this inbox: a made-up source_id
    // (anyone can invent one per request) counts against the client address, like no session.
    const session = sourceId !== undefined && inbox !== null && (await this.sessionOnInbox(sourceId, inbox)) ? sourceId : undefined;
    request.principal = {
      kind: 'contact',
      workspaceId: inbox?.workspace_id ?? '',
      inboxId: inbox?.id ?? '',
      keyId: session ? sessionTracker(session) : `${creatingContact ? 'public' : 'address'}:${request.ip}`,
      subscriptionActive,
      budget: creatingContact ? 'contact_creations' : session ? 'session' : 'address',
      unknownSession: sourceId !== undefined && session === undefined,
    };
    return undefined;
  };

  /** 413 for a message `content` over 20,000 characters, after the body is parsed and before validation. */
  readonly preValidation = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if ((request.method !== 'POST' && request.method !== 'PATCH') || !isPublicApiPath(requestPath(request))) return undefined;
    const body = request.body;
    if (!body || typeof body !== 'object') return undefined;
    const { content, message } = body as { content?: unknown; message?: unknown };
    const nested = message && typeof message === 'object' ? (message as { content?: unknown }).content : undefined;
    for (const [field, value] of [
      ['content', content],
      ['message.content', nested],
    ] as const) {
      if (typeof value === 'string' && characterCount(value) > MAX_CONTENT_CHARS) {
        return reply
          .status(413)
          .send(errorEnvelope(413, `${field} is longer than ${MAX_CONTENT_CHARS} characters`, { [field]: [`at most ${MAX_CONTENT_CHARS} characters`] }));
      }
    }
    return undefined;
  };

  /** Drops what this process knows of inboxes (after a change of who may do what: a workspace deactivated, an inbox's origins). */
  forgetInboxes(): void {
    this.inboxes.clear();
  }

  /** Ledgerdesk's own origin (PUBLIC_URL, else where the request was sent), or one the inbox allows. */
  private allowedOrigin(request: FastifyRequest, origin: string, inbox: PublicInbox | null): boolean {
    const normalized = normalizeOrigin(origin);
    if (normalized === null) return false;
    const own = normalizeOrigin(this.config.publicUrl ? new URL(this.config.publicUrl).origin : `${request.protocol}://${request.headers.host ?? ''}`);
    return normalized === own || (inbox?.allowed_origins.includes(normalized) ?? false);
  }

  private async sessionOnInbox(sourceId: string, inbox: PublicInbox): Promise<boolean> {
    if (this.knownSessions.get(sourceId) === inbox.id) return true;
    const session: ContactSession | null = await this.queries.execute(new FindContactSessionQuery(sourceId));
    if (!session || session.inbox_id !== inbox.id) return false;
    this.knownSessions.set(sourceId, inbox.id);
    return true;
  }

  private async lookup(publicIdentifier: string): Promise<InboxEntry> {
    return this.inboxes.peek(publicIdentifier)?.value ?? this.inboxes.fill(publicIdentifier, () => this.inboxEntry(publicIdentifier));
  }

  private async inboxEntry(publicIdentifier: string): Promise<InboxEntry> {
    const inbox: PublicInbox | null = await this.queries.execute(new GetInboxByPublicIdentifierQuery(publicIdentifier));
    let subscriptionActive = true;
    if (inbox) {
      const workspace = await this.readStore.collection<WorkspaceDocument>(WORKSPACES_COLLECTION).findOne({ _id: inbox.workspace_id });
      subscriptionActive = workspace?.subscription_status !== 'inactive';
    }
    return { inbox, subscriptionActive };
  }
}
