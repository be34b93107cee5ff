import { startFakeSlack, startReceiver, startTestApp, type Receiver, type TestApp } from '@ledgerdesk/testing';

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
import { createApiApp } from '../../apps/api/src/bootstrap/create-api-app';

/** The API app as `npm start` runs it (embedded adapters, projector inside), on a free port. */
export const startApiTestApp = (options?: Parameters<typeof startTestApp>[1]): Promise<TestApp> => startTestApp(createApiApp, options);

export interface DeliveriesTestBed {
  app: TestApp;
  slack: FakeSlack;
  /** A local receiver, closed with the bed. */
  receiver(respond?: Receiver['respond']): Promise<Receiver>;
  close(): Promise<void>;
}

/** The deliveries suites' setup: the API app with a fake Slack, fast webhook retries, and local receivers. */
export async function startDeliveriesTestBed(): Promise<DeliveriesTestBed> {
  const slack = await startFakeSlack();
  const app = await startApiTestApp({ env: { WEBHOOK_RETRY_SCHEDULE_MS: '100,200,400', SLACK_API_URL: slack.url } });
  const receivers: Receiver[] = [];
  return {
    app,
    slack,
    async receiver(respond) {
      const r = await startReceiver(respond);
      receivers.push(r);
      return r;
    },
    async close() {
      await app.close();
      await slack.close();
      for (const r of receivers) await r.close();
    },
  };
}
