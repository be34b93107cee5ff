import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { workspaceDecider } from '../../domain/workspace.decider';
import { workspaceStreamId } from '../../domain/workspace.events';
import { newWorkspaceKey } from '../issued-key';
import { toWorkspaceView, type WorkspaceView } from '../workspace.view';
import { CreateWorkspaceCommand } from './create-workspace.command';
import { newEntityId } from '@ledgerdesk/shared';

export interface CreateWorkspaceResult {
  workspace: WorkspaceView & { api_key: { id: string; key: string } };
  position: number;
}

@CommandHandler(CreateWorkspaceCommand)
export class CreateWorkspaceHandler implements ICommandHandler<CreateWorkspaceCommand, CreateWorkspaceResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ name, context }: CreateWorkspaceCommand): Promise<CreateWorkspaceResult> {
    const workspaceId = newEntityId(context);
    const { key, issued } = newWorkspaceKey(context);
    const outcome = await this.runner.run(
      workspaceStreamId(workspaceId),
      workspaceDecider,
      { type: 'CreateWorkspace', workspaceId, name, firstKey: issued },
      { ...context, workspaceId },
      { newStream: true },
    );
    return {
      workspace: {
        ...toWorkspaceView({ id: workspaceId, name, subscription_status: 'active', created_at: context.now }),
        api_key: { id: issued.keyId, key },
      },
      position: outcome.position ?? 0,
    };
  }
}
