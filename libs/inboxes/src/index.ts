export * from './domain/inbox.events';
export * from './domain/inbox.decider';
export * from './domain/ticket-token';
export * from './projections/inboxes.projection';
export * from './application/inbox.view';
export * from './application/inbox-key';
export * from './application/create-inbox/create-inbox.command';
export * from './application/create-inbox/create-inbox.handler';
export * from './application/update-inbox/update-inbox.command';
export * from './application/update-inbox/update-inbox.handler';
export * from './application/rotate-inbox-key/rotate-inbox-key.command';
export * from './application/rotate-inbox-key/rotate-inbox-key.handler';
export * from './application/revoke-inbox-key/revoke-inbox-key.command';
export * from './application/get-inbox/get-inbox.query';
export * from './application/list-inboxes/list-inboxes.query';
export * from './application/submit-intake-message/submit-intake-message.command';
export * from './application/submit-intake-message/submit-intake-message.handler';

import { CreateInboxHandler } from './application/create-inbox/create-inbox.handler';
import { GetInboxHandler } from './application/get-inbox/get-inbox.handler';
import { ListInboxesHandler } from './application/list-inboxes/list-inboxes.handler';
import { RevokeInboxKeyHandler } from './application/revoke-inbox-key/revoke-inbox-key.handler';
import { RotateInboxKeyHandler } from './application/rotate-inbox-key/rotate-inbox-key.handler';
import { SubmitIntakeMessageHandler } from './application/submit-intake-message/submit-intake-message.handler';
import { UpdateInboxHandler } from './application/update-inbox/update-inbox.handler';

export const INBOX_HANDLERS = [
  CreateInboxHandler,
  UpdateInboxHandler,
  RotateInboxKeyHandler,
  RevokeInboxKeyHandler,
  GetInboxHandler,
  ListInboxesHandler,
  SubmitIntakeMessageHandler,
];
