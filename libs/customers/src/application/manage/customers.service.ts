import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type Filter, type ReadStore } from '@ledgerdesk/read-store';
import { notFound, type CommandContext } from '@ledgerdesk/shared';
import { customerDecider } from '../../domain/customer.decider';
import { customerIdFor, customerStreamId, normalizeEmail } from '../../domain/customer-identity';
import type { CustomerChanges } from '../../domain/customer.events';
import { CUSTOMERS_COLLECTION, type CustomerDocument } from '../../projections/customers.projection';
import { escapeRegex, keysetPage, type Page } from '@ledgerdesk/read-store';
import { claimStreamId, uniqueClaimDecider } from '@ledgerdesk/event-sourcing';
import { CUSTOMER_EMAIL_CLAIM } from '../ensure-customer/ensure-customer.service';

export function toCustomerView(doc: CustomerDocument) {
  return {
    id: doc.id,
    email: doc.email,
    name: doc.name,
    phone: doc.phone,
    company: doc.company,
    custom_fields: doc.custom_fields,
    ticket_count: doc.ticket_count,
    created_at: doc.created_at,
    updated_at: doc.updated_at,
  };
}
export type CustomerView = ReturnType<typeof toCustomerView>;

export interface NewCustomer {
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  customFields: Record<string, unknown>;
}

export interface CustomerCriteria {
  email?: string;
  search?: string;
  phone?: string;
  orderBy: 'created_at' | 'updated_at' | 'email';
  orderDir: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

const CONFLICT_DETAILS = { email: ['a customer with this email already exists'] };

/** Customers CRUD: writes through the customer and email-claim streams, reads from `customers`. */
@Injectable()
export class CustomersService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  private get collection() {
    return this.readStore.collection<CustomerDocument>(CUSTOMERS_COLLECTION);
  }

  async create(workspaceId: string, input: NewCustomer, context: CommandContext): Promise<{ id: string; position: number }> {
    const value = normalizeEmail(input.email);
    const claim = await this.runner
      .run(
        claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, value),
        uniqueClaimDecider,
        { type: 'Claim', kind: 'customer', workspaceId, value, ownerId: customerIdFor(workspaceId, value), reclaimId: randomUUID() },
        context,
      )
      .catch((error) => {
        throw withDetails(error);
      });
    const id = claim.state.ownerId as string;
    const outcome = await this.runner.run(
      customerStreamId(id),
      customerDecider,
      {
        type: 'CreateCustomer',
        customerId: id,
        workspaceId,
        email: value,
        name: input.name,
        phone: input.phone,
        company: input.company,
        customFields: input.customFields,
      },
      context,
    );
    return { id, position: outcome.position ?? 0 };
  }

  async update(workspaceId: string, id: string, changes: CustomerChanges, context: CommandContext): Promise<{ position: number | null }> {
    const current = await this.load(workspaceId, id);
    const oldEmail = current.profile?.email ?? null;
    const newEmail = changes.email !== undefined ? normalizeEmail(changes.email) : null;
    let position: number | null = null;
    if (newEmail && newEmail !== oldEmail) {
      // Claim the new address first: a clash leaves everything as it was.
      const claim = await this.runner
        .run(
          claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, newEmail),
          uniqueClaimDecider,
          { type: 'Claim', kind: 'customer', workspaceId, value: newEmail, ownerId: id },
          context,
        )
        .catch((error) => {
          throw withDetails(error);
        });
      position = claim.position ?? position;
    }
    const outcome = await this.runner.run(customerStreamId(id), customerDecider, { type: 'UpdateCustomer', changes }, context);
    position = outcome.position ?? position;
    if (newEmail && oldEmail && newEmail !== oldEmail) {
      const released = await this.runner.run(
        claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, oldEmail),
        uniqueClaimDecider,
        { type: 'Release', ownerId: id },
        context,
      );
      position = released.position ?? position;
    }
    return { position };
  }

  async delete(workspaceId: string, id: string, context: CommandContext): Promise<{ position: number | null }> {
    const current = await this.load(workspaceId, id);
    const outcome = await this.runner.run(customerStreamId(id), customerDecider, { type: 'DeleteCustomer', requestedBy: context.actor }, context);
    let position = outcome.position;
    if (current.profile?.email) {
      const released = await this.runner.run(
        claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, current.profile.email),
        uniqueClaimDecider,
        { type: 'Release', ownerId: id },
        context,
      );
      position = released.position ?? position;
    }
    return { position };
  }

  async get(workspaceId: string, id: string): Promise<CustomerView> {
    const doc = await this.collection.findOne({ _id: id, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('Customer');
    return toCustomerView(doc);
  }

  list(workspaceId: string, c: CustomerCriteria): Promise<Page<CustomerView>> {
    const and: Filter[] = [{ deleted: false }];
    if (c.email) and.push({ email: normalizeEmail(c.email) });
    if (c.phone) and.push({ phone: c.phone });
    if (c.search) {
      const pattern = escapeRegex(c.search);
      and.push({ $or: [{ name: { $regex: pattern, $options: 'i' } }, { email: { $regex: pattern, $options: 'i' } }] });
    }
    return keysetPage(
      this.collection,
      { workspace_id: workspaceId, $and: and },
      { field: c.orderBy, orderName: c.orderBy, direction: c.orderDir === 'asc' ? 1 : -1, limit: c.limit, cursor: c.cursor },
      toCustomerView,
    );
  }

  private async load(workspaceId: string, id: string) {
    const current = await this.runner.load(customerStreamId(id), customerDecider);
    if (!current.state.exists || current.state.deleted || current.state.workspaceId !== workspaceId) throw notFound('Customer');
    return current.state;
  }
}

function withDetails(error: unknown): unknown {
  if (error && typeof error === 'object' && (error as { code?: string }).code === 'CONFLICT') {
    const e = error as { message: string; details: Record<string, unknown> };
    e.message = 'A customer with this email already exists';
    e.details = { ...e.details, ...CONFLICT_DETAILS };
  }
  return error;
}
