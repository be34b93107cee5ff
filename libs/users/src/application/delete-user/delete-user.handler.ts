import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { userDecider } from '../../domain/user.decider';
import { userStreamId } from '../../domain/user.events';
import { releaseUserEmail } from '../user-email-claim';
import { DeleteUserCommand } from './delete-user.command';

export interface DeleteUserResult {
  /** Log position of the user's deletion. */
  position: number | null;
}

/** DELETE /users/{id}: the user goes, and their email is free again. */
@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand, DeleteUserResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, userId, context }: DeleteUserCommand): Promise<DeleteUserResult> {
    const outcome = await this.runner.run(userStreamId(userId), userDecider, { type: 'DeleteUser', workspaceId }, context);
    await releaseUserEmail(this.runner, workspaceId, outcome.state.email, userId, context);
    return { position: outcome.position };
  }
}
