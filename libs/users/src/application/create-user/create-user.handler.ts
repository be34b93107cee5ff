import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { userDecider } from '../../domain/user.decider';
import { userStreamId } from '../../domain/user.events';
import { claimUserEmail } from '../user-email-claim';
import { userViewOf, type UserView } from '../user.view';
import { CreateUserCommand } from './create-user.command';
import { newEntityId } from '@ledgerdesk/shared';

export interface CreateUserResult {
  user: UserView;
  /** Log position of the user's creation. */
  position: number;
}

/** POST /users: claims the email in the workspace (409 when taken), then creates the user. */
@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand, CreateUserResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, user, context }: CreateUserCommand): Promise<CreateUserResult> {
    const userId = newEntityId(context);
    await claimUserEmail(this.runner, workspaceId, user.email, userId, context);
    const outcome = await this.runner.run(userStreamId(userId), userDecider, { type: 'CreateUser', userId, workspaceId, ...user }, context, {
      newStream: true,
    });
    // Built from the event just written, as the projection builds it.
    return { user: userViewOf(outcome.state), position: outcome.position ?? 0 };
  }
}
