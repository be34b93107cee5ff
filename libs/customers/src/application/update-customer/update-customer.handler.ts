import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { customerDecider, type CustomerCommand } from '../../domain/customer.decider';
import { customerStreamId } from '../../domain/customer-identity';
import { CUSTOMERS_COLLECTION, type CustomerDocument } from '../../projections/customers.projection';
import { claimCustomerValues, releaseCustomerValues } from '../customer-claims';
import { customerViewOf, type CustomerView } from '../customer.view';
import { UpdateCustomerCommand } from './update-customer.command';

export interface UpdateCustomerResult {
  customer: CustomerView;
  /** Log position of the last event written (claim, update or release); null when nothing changed. */
  position: number | null;
}

/**
 * PATCH /customers/{id}. A new email or identifier is claimed first, so a clash (409) leaves
 * everything as it was; the old one is given up once the customer has the new one.
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
    const changed = planned?.type === 'CustomerUpdated' ? planned.data.changes : {};
    const claimed = { email: changed.email, identifier: changed.identifier };
    // What the customer gives up: the values it held of the fields that change.
    const released = {
      email: 'email' in changed ? before.profile?.email : null,
      identifier: 'identifier' in changed ? before.profile?.identifier : null,
    };

    let position = (await claimCustomerValues(this.runner, workspaceId, claimed, context, customerId)).position;
    const outcome = await this.runner.run(streamId, customerDecider, update, context);
    position = outcome.position ?? position;
    position = (await releaseCustomerValues(this.runner, workspaceId, released, customerId, context)) ?? position;

    // The state as of this update (nothing changed: as it was), times included.
    const doc = await this.readModel(workspaceId, customerId);
    return { customer: customerViewOf(outcome.state, doc?.ticket_count ?? 0, doc?.contact_inboxes ?? []), position };
  }

  /** Owned by other streams' events (tickets, contact sessions): the read model's current values, without waiting. */
  private readModel(workspaceId: string, customerId: string): Promise<CustomerDocument | null> {
    return this.readStore.collection<CustomerDocument>(CUSTOMERS_COLLECTION).findOne({ _id: customerId, workspace_id: workspaceId });
  }
}
