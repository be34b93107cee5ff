import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  CLOSE_BAD_REQUEST,
  CLOSE_POLICY,
  CLOSE_SUBSCRIBE_TIMEOUT,
  CLOSE_UNAUTHORIZED,
  CableHub,
  InboundRate,
  LIMITS,
  credentialWellFormed,
  parseClientFrame,
  type Audience,
  type CableSocket,
  type SubscribeRequest,
} from '@ledgerdesk/realtime';
import { CredentialsService } from '../auth/credentials.service';
import { endWithEnvelope } from '../http/socket-envelope';
import { errorEnvelope } from '../http/error-codes';
import { requestIdFor } from '../http/request-id';
import { ReadProgress } from './read-progress';
import { StaffKeyWatch } from './staff-key-watch';

/** Registers the WebSocket plugin; call before Nest registers its routes (app.init). */
export async function registerCable(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyWebsocket as never, { options: { maxPayload: LIMITS.maxInboundBytes } });
  const hub = app.get(CableHub);
  const credentials = app.get(CredentialsService);
  const keyWatch = new StaffKeyWatch(credentials);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.route({
    method: 'GET',
    url: '/cable',
    // A request that asks for no upgrade.
    handler: (_request: FastifyRequest, reply: FastifyReply) => reply.status(400).send(errorEnvelope(400, NOT_AN_UPGRADE)),
    wsHandler: (socket: WebSocket, request: FastifyRequest) => new CableConnection(socket, request, hub, credentials, keyWatch).start(),
  } as never);
  // An upgrade that ws refuses (no or a bad Sec-WebSocket-Key, version, ...): the envelope, not ws's text/html.
  fastify.websocketServer.on('wsClientError', (error: Error, socket: Duplex, request: IncomingMessage) => {
    if (!socket.writable) return void socket.destroy();
    // RFC 6455 4.2.2: a refused version names the versions this server speaks, as ws itself says.
    const headers: Record<string, string> = /Sec-WebSocket-Version/i.test(error.message) ? { 'Sec-WebSocket-Version': '13, 8' } : {};
    endWithEnvelope(socket, 400, errorEnvelope(400, `WebSocket handshake refused: ${error.message}`), requestIdFor(request), headers);
  });
}

const NOT_AN_UPGRADE = 'GET /cable is a WebSocket endpoint: open it with an upgrade request (Connection: Upgrade, Upgrade: websocket)';

/** One /cable socket (API.md section 10): the subscribe handshake, limits, and the key's revocation. */
class CableConnection {
  private readonly rate = new InboundRate();
  private subscribed = false;
  private stopWatchingKey: (() => void) | null = null;
  private ping: NodeJS.Timeout | null = null;
  private readonly cable: CableSocket;
  /** Frames the client has not read: the hub's "behind" and a replay's pace. */
  private readonly progress: ReadProgress;

  constructor(
    private readonly ws: WebSocket,
    _request: FastifyRequest,
    private readonly hub: CableHub,
    private readonly credentials: CredentialsService,
    private readonly keyWatch: StaffKeyWatch,
  ) {
    const progress = (this.progress = new ReadProgress(ws));
    // The TCP socket under ws: frames sent in one turn of the event loop (a replayed page) are
    // corked into one write, each still its own WebSocket message.
    const raw = (ws as unknown as { _socket?: Socket })._socket;
    let corked = false;
    const uncork = () => {
      corked = false;
      raw?.uncork();
    };
    this.cable = {
      send(text) {
        if (ws.readyState !== ws.OPEN) return;
        if (raw && !corked) {
          corked = true;
          raw.cork();
          process.nextTick(uncork);
        }
        // Shared bytes go out as text frames: encoded once for every socket of a fan-out.
        ws.send(text, { binary: false }, progress.onWritten);
        progress.sentOne();
      },
      unreadFrames: () => progress.unread,
      whenRead: (maxUnread) => (this.cable.closed ? Promise.resolve() : progress.whenRead(maxUnread)),
      close(code, reason) {
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
      },
      get closed() {
        return ws.readyState !== ws.OPEN;
      },
    };
  }

  start(): void {
    const timeout = setTimeout(() => !this.subscribed && this.cable.close(CLOSE_SUBSCRIBE_TIMEOUT, 'No subscribe frame'), LIMITS.subscribeTimeoutMs);
    this.ping = setInterval(() => this.cable.send('{"type":"ping"}'), LIMITS.pingIntervalMs);
    this.ws.on('message', (data, isBinary) => this.onFrame(isBinary ? null : data.toString()));
    this.ws.on('error', () => undefined);
    this.ws.on('close', () => {
      clearTimeout(timeout);
      if (this.ping) clearInterval(this.ping);
      this.stopWatchingKey?.();
      this.progress.releaseAll();
      this.hub.disconnect(this.cable);
    });
  }

  private onFrame(text: string | null): void {
    if (!this.rate.allow(Date.now())) return this.cable.close(CLOSE_POLICY, 'More than 100 frames a second');
    if (text === null) return this.refuse('Frames are JSON text');
    const parsed = parseClientFrame(text);
    if (!parsed.ok) return this.refuse(parsed.message);
    if (parsed.frame.type !== 'subscribe') return;
    if (this.subscribed) return this.refuse('One subscription per socket');
    this.subscribed = true;
    void this.subscribe(parsed.frame.request).catch(() => this.cable.close(1011, 'Internal error'));
  }

  private refuse(message: string): void {
    this.cable.send(JSON.stringify({ type: 'error', code: 'BAD_REQUEST', message }));
    this.cable.close(CLOSE_BAD_REQUEST, 'Bad request');
  }

  private unauthorized(): void {
    this.cable.send(JSON.stringify({ type: 'error', code: 'UNAUTHORIZED' }));
    this.cable.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
  }

  private async subscribe(request: SubscribeRequest): Promise<void> {
    const audience = credentialWellFormed(request.credential) ? await this.audienceOf(request) : null;
    if (this.cable.closed) return;
    if (!audience) return this.unauthorized();
    if (request.credential.kind === 'staff') {
      this.stopWatchingKey = this.keyWatch.watch(request.credential.apiKey, audience.workspaceId, () => this.unauthorized());
    }
    await this.hub.subscribe(this.cable, audience, request.after);
  }

  private async audienceOf({ credential }: SubscribeRequest): Promise<Audience | null> {
    if (credential.kind === 'staff') {
      const principal = await this.credentials.resolveKey(credential.apiKey);
      return principal?.kind === 'workspace' ? { kind: 'staff', workspaceId: principal.workspaceId, keyId: principal.keyId } : null;
    }
    const session = await this.hub.sessionByToken(credential.pubsubToken);
    if (!session) return null;
    const { source_id, workspace_id, customer_id, inbox_id, hmac_verified } = session;
    return { kind: 'contact', workspaceId: workspace_id, session: { source_id, workspace_id, customer_id, inbox_id, hmac_verified } };
  }
}
