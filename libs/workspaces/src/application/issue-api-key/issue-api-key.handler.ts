import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { workspaceDecider } from '../../domain/workspace.decider';
import { workspaceStreamId } from '../../domain/workspace.events';
import { newWorkspaceKey } from '../issued-key';
import { IssueApiKeyCommand } from './issue-api-key.command';

export interface IssueApiKeyResult {
  apiKey: { id: string; key: string; created_at: string };
  position: number;
}

@CommandHandler(IssueApiKeyCommand)
export class IssueApiKeyHandler implements ICommandHandler<IssueApiKeyCommand, IssueApiKeyResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, context }: IssueApiKeyCommand): Promise<IssueApiKeyResult> {
    const { key, issued } = newWorkspaceKey(context);
    const outcome = await this.runner.run(workspaceStreamId(workspaceId), workspaceDecider, { type: 'IssueApiKey', key: issued }, { ...context, workspaceId });
    return { apiKey: { id: issued.keyId, key, created_at: context.now }, position: outcome.position ?? 0 };
  }
}
