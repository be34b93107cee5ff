import { connect } from 'node:net';

/**
 * One raw RESP `PING` over a fresh socket. Used for the start-up readiness check: a client
 * library would reconnect and buffer on its own, hiding exactly the failures we poll for.
 * Resolves true only on `+PONG`; `-LOADING` (AOF still being replayed) counts as not ready.
 */
export function pingRedis(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    let settled = false;
    const socket = connect({ host, port });
    const finish = (ready: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
