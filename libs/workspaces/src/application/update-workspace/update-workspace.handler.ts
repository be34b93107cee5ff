import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { workspaceDecider } from '../../domain/workspace.decider';
import { workspaceStreamId } from '../../domain/workspace.events';
import { UpdateWorkspaceCommand } from './update-workspace.command';

@CommandHandler(UpdateWorkspaceCommand)
export class UpdateWorkspaceHandler implements ICommandHandler<UpdateWorkspaceCommand, { position: number | null }> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, changes, context }: UpdateWorkspaceCommand) {
    const outcome = await this.runner.run(
      workspaceStreamId(workspaceId),
      workspaceDecider,
      { type: 'UpdateWorkspace', ...changes },
      { ...context, workspaceId },
    );
    return { position: outcome.position };
  }
}
