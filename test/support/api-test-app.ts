import { startTestApp, type TestApp } from '@ledgerdesk/testing';
import { createApiApp } from '../../apps/api/src/bootstrap/create-api-app';

/** The API app as `npm start` runs it (embedded adapters, projector inside), on a free port. */
export const startApiTestApp = (options?: Parameters<typeof startTestApp>[1]): Promise<TestApp> => startTestApp(createApiApp, options);
