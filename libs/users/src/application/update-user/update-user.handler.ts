import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { userDecider, type UserCommand } from '../../domain/user.decider';
import { userStreamId } from '../../domain/user.events';
import { claimUserEmail, releaseUserEmail } from '../user-email-claim';
import { userViewOf, type UserView } from '../user.view';
import { UpdateUserCommand } from './update-user.command';

export interface UpdateUserResult {
  user: UserView;
  /** Log position of the user's update; null when nothing changed. */
  position: number | null;
}

/**
 * PATCH /users/{id}. A new email is claimed first, so a clash (409) leaves everything as it
 * was; the old one is given up once the user has the new one.
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements ICommandHandler<UpdateUserCommand, UpdateUserResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, userId, changes, context }: UpdateUserCommand): Promise<UpdateUserResult> {
    const streamId = userStreamId(userId);
    const update: UserCommand = { type: 'UpdateUser', workspaceId, changes };
    // Ask the decider first: a refused update (not found, another workspace's) claims nothing,
    // and what it would write says whether the email changes.
    const { state: before } = await this.runner.load(streamId, userDecider);
    const [planned] = userDecider.decide(update, before);
    const newEmail = planned?.type === 'UserUpdated' ? planned.data.changes.email : undefined;

    if (newEmail) await claimUserEmail(this.runner, workspaceId, newEmail, userId, context);
    const outcome = await this.runner.run(streamId, userDecider, update, context);
    if (newEmail) await releaseUserEmail(this.runner, workspaceId, before.email, userId, context);

    // The state as of this update (nothing changed: as it was), times included.
    return { user: userViewOf(outcome.state), position: outcome.position };
  }
}
