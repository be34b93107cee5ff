import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { DomainError, notFound, type CommandContext } from '@ledgerdesk/shared';
import { claimStreamId, uniqueClaimDecider } from '@ledgerdesk/event-sourcing';
import { keysetPage, type Page } from '@ledgerdesk/read-store';
import { userDecider } from '../domain/user.decider';
import { userStreamId, type UserChanges, type UserRole } from '../domain/user.events';
import { USERS_COLLECTION, type UserDocument } from '../projections/users.projection';

export const toUserView = (doc: UserDocument) => ({ id: doc.id, email: doc.email, name: doc.name, role: doc.role, created_at: doc.created_at });
export type UserView = ReturnType<typeof toUserView>;

const USER_EMAIL_CLAIM = 'user_email';
const emailTaken = () => new DomainError('CONFLICT', 'A user with this email already exists', { email: ['already exists'] });

/** Users (agents) CRUD; emails are unique per workspace (an email-claim stream). */
@Injectable()
export class UsersService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async create(workspaceId: string, input: { email: string; name: string; role: UserRole }, context: CommandContext) {
    const userId = randomUUID();
    await this.claim(workspaceId, input.email, userId, context);
    const outcome = await this.runner.run(userStreamId(userId), userDecider, { type: 'CreateUser', userId, workspaceId, ...input }, context, {
      newStream: true,
    });
    return { id: userId, position: outcome.position ?? 0 };
  }

  async update(workspaceId: string, id: string, changes: UserChanges, context: CommandContext) {
    const state = await this.load(workspaceId, id);
    const newEmail = changes.email?.toLowerCase();
    if (newEmail && newEmail !== state.email) await this.claim(workspaceId, newEmail, id, context);
    const outcome = await this.runner.run(userStreamId(id), userDecider, { type: 'UpdateUser', changes }, context);
    if (newEmail && newEmail !== state.email) await this.release(workspaceId, state.email, id, context);
    return { position: outcome.position };
  }

  async delete(workspaceId: string, id: string, context: CommandContext) {
    const state = await this.load(workspaceId, id);
    const outcome = await this.runner.run(userStreamId(id), userDecider, { type: 'DeleteUser' }, context);
    await this.release(workspaceId, state.email, id, context);
    return { position: outcome.position };
  }

  async get(workspaceId: string, id: string): Promise<UserView> {
    const doc = await this.readStore.collection<UserDocument>(USERS_COLLECTION).findOne({ _id: id, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('User');
    return toUserView(doc);
  }

  list(workspaceId: string, c: { role?: UserRole; limit: number; cursor?: string }): Promise<Page<UserView>> {
    const filter: Record<string, unknown> = { workspace_id: workspaceId, deleted: false };
    if (c.role) filter.role = c.role;
    return keysetPage(
      this.readStore.collection<UserDocument>(USERS_COLLECTION),
      filter,
      { field: 'created_at', direction: -1, limit: c.limit, cursor: c.cursor },
      toUserView,
    );
  }

  private async load(workspaceId: string, id: string) {
    const current = await this.runner.load(userStreamId(id), userDecider);
    if (!current.state.exists || current.state.deleted || current.state.workspaceId !== workspaceId) throw notFound('User');
    return current.state;
  }

  private async claim(workspaceId: string, email: string, ownerId: string, context: CommandContext) {
    const value = email.toLowerCase();
    await this.runner
      .run(claimStreamId(USER_EMAIL_CLAIM, workspaceId, value), uniqueClaimDecider, { type: 'Claim', kind: 'user', workspaceId, value, ownerId }, context)
      .catch((error: unknown) => {
        throw error instanceof DomainError && error.code === 'CONFLICT' ? emailTaken() : error;
      });
  }

  private async release(workspaceId: string, email: string, ownerId: string, context: CommandContext) {
    await this.runner.run(claimStreamId(USER_EMAIL_CLAIM, workspaceId, email.toLowerCase()), uniqueClaimDecider, { type: 'Release', ownerId }, context);
  }
}
