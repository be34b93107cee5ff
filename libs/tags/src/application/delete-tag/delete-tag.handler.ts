import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { tagDecider } from '../../domain/tag.decider';
import { tagStreamId } from '../../domain/tag.events';
import { releaseTagName } from '../tag-name-claim';
import { DeleteTagCommand } from './delete-tag.command';

export interface DeleteTagResult {
  /** Log position of the tag's deletion. */
  position: number | null;
}

/** DELETE /tags/{id}: the tag goes, and its name is free again. */
@CommandHandler(DeleteTagCommand)
export class DeleteTagHandler implements ICommandHandler<DeleteTagCommand, DeleteTagResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, tagId, context }: DeleteTagCommand): Promise<DeleteTagResult> {
    const outcome = await this.runner.run(tagStreamId(tagId), tagDecider, { type: 'DeleteTag', workspaceId }, context);
    await releaseTagName(this.runner, workspaceId, outcome.state.name, tagId, context);
    return { position: outcome.position };
  }
}
