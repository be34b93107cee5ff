import { request as httpRequest } from 'node:http';

export interface RawResponse {
  status: number;
  body: { error?: { code: string; details?: Record<string, unknown> }; data?: unknown };
}

/** A request with its target exactly as written (fetch would normalise `%61`, `#` and dot segments). */
export function rawRequest(baseUrl: string, method: string, target: string, options: { token?: string; body?: unknown } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: {
          ...(options.token && { authorization: `Bearer ${options.token}` }),
          ...(payload && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
