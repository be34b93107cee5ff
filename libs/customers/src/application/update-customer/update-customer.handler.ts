import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { customerDecider, type CustomerCommand } from '../../domain/customer.decider';
import { customerStreamId } from '../../domain/customer-identity';
import { CUSTOMERS_COLLECTION, type CustomerDocument } from '../../projections/customers.projection';
import { claimCustomerEmail, releaseCustomerEmail } from '../customer-email-claim';
import { customerViewOf, type CustomerView } from '../customer.view';
import { UpdateCustomerCommand } from './update-customer.command';

export interface UpdateCustomerResult {
  customer: CustomerView;
  /** Log position of the last event written (claim, update or release); null when nothing changed. */
  position: number | null;
}

/**
 * PATCH /customers/{id}. A new email is claimed first, so a clash (409) leaves everything as it
 * was; the old one is given up once the customer has the new one.
 */
@CommandHandler(UpdateCustomerCommand)
export class UpdateCustomerHandler implements ICommandHandler<UpdateCustomerCommand, UpdateCustomerResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, customerId, changes, context }: UpdateCustomerCommand): Promise<UpdateCustomerResult> {
    const streamId = customerStreamId(customerId);
    const update: CustomerCommand = { type: 'UpdateCustomer', workspaceId, changes };
    // Ask the decider first: a refused update (not found, another workspace's) claims nothing,
    // and what it would write says whether the email changes.
    const { state: before } = await this.runner.load(streamId, customerDecider);
    const [planned] = customerDecider.decide(update, before);
    const newEmail = planned?.type === 'CustomerUpdated' ? planned.data.changes.email : undefined;
    const oldEmail = before.profile?.email ?? null;

    let position: number | null = null;
    if (newEmail) position = (await claimCustomerEmail(this.runner, workspaceId, newEmail, context, customerId)).position ?? position;
    const outcome = await this.runner.run(streamId, customerDecider, update, context);
    position = outcome.position ?? position;
    if (newEmail && oldEmail) position = (await releaseCustomerEmail(this.runner, workspaceId, oldEmail, customerId, context)).position ?? position;

    // The state as of this update (nothing changed: as it was), times included.
    return { customer: customerViewOf(outcome.state, await this.ticketCount(workspaceId, customerId)), position };
  }

  /** Owned by the tickets' events: the read model's current count, without waiting for it. */
  private async ticketCount(workspaceId: string, customerId: string): Promise<number> {
    const doc = await this.readStore.collection<CustomerDocument>(CUSTOMERS_COLLECTION).findOne({ _id: customerId, workspace_id: workspaceId });
    return doc?.ticket_count ?? 0;
  }
}
