import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { tagDecider } from '../../domain/tag.decider';
import { tagStreamId } from '../../domain/tag.events';
import { asNameTaken, claimTagName } from '../tag-name-claim';
import { tagViewOf, type TagView } from '../tag.view';
import { CreateTagCommand } from './create-tag.command';

export interface CreateTagResult {
  tag: TagView;
  /** Log position of the tag's creation. */
  position: number;
}

/** POST /tags: claims the name in the workspace (409 when taken), then creates the tag. */
@CommandHandler(CreateTagCommand)
export class CreateTagHandler implements ICommandHandler<CreateTagCommand, CreateTagResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, tag, context }: CreateTagCommand): Promise<CreateTagResult> {
    const claim = await claimTagName(this.runner, workspaceId, tag.name, context).catch(asNameTaken);
    const tagId = claim.state.ownerId as string;
    // The claim may already be this id's (a first use on a ticket): the tag's own stream says 409.
    const outcome = await this.runner
      .run(tagStreamId(tagId), tagDecider, { type: 'CreateTag', tagId, workspaceId, name: tag.name, color: tag.color }, context)
      .catch(asNameTaken);
    // Built from the event just written, as the projection builds it; a new tag is on no ticket.
    return { tag: tagViewOf(outcome.state, 0), position: outcome.position ?? 0 };
  }
}
