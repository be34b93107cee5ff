import type { TestApp, TestResponse } from '@ledgerdesk/testing';

/** Shared steps of the resource e2e suites (tickets PATCH/merge, conversations, customers, ...). */
export async function createTicket(app: TestApp, key: string, body: Record<string, unknown> = {}) {
  const res = await app.request('POST', '/api/v1/tickets', {
    token: key,
    body: { subject: 'Cannot log in', description: 'Redirect loop', customer_email: 'jane@example.com', ...body },
  });
  if (res.status !== 201) throw new Error(`createTicket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function createUser(app: TestApp, key: string, body: Record<string, unknown> = {}) {
  const res = await app.request('POST', '/api/v1/users', {
    token: key,
    body: { email: `agent-${Math.random().toString(36).slice(2)}@example.com`, name: 'Agent', ...body },
  });
  if (res.status !== 201) throw new Error(`createUser: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: string; email: string; name: string; role: string };
}

/** A rejected request writes nothing: the log head is where it was. */
export async function expectNothingWritten(app: TestApp, act: () => Promise<TestResponse>, status = 400) {
  const before = await app.infrastructure.eventStore.headPosition();
  const res = await act();
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code: status >= 400 ? expect.any(String) : undefined });
  expect(await app.infrastructure.eventStore.headPosition()).toBe(before);
  return res;
}

export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
