import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on the loopback interface by listening on port 0 and
 * closing again. Another process can take the port before we use it, so callers that bind it
 * must retry on "address already in use".
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
