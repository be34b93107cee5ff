import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { tagDecider, type TagCommand } from '../../domain/tag.decider';
import { normalizeTagName, tagStreamId } from '../../domain/tag.events';
import { TAGS_COLLECTION, type TagDocument } from '../../projections/tags.projection';
import { asNameTaken, claimTagName, releaseTagName } from '../tag-name-claim';
import { tagViewOf, type TagView } from '../tag.view';
import { UpdateTagCommand } from './update-tag.command';

export interface UpdateTagResult {
  tag: TagView;
  /** Log position of the tag's update; null when nothing changed. */
  position: number | null;
}

/**
 * PATCH /tags/{id}. A new name is claimed first, so a clash (409) leaves everything as it was;
 * the old one is given up once the tag has the new one.
 */
@CommandHandler(UpdateTagCommand)
export class UpdateTagHandler implements ICommandHandler<UpdateTagCommand, UpdateTagResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, tagId, changes, context }: UpdateTagCommand): Promise<UpdateTagResult> {
    const streamId = tagStreamId(tagId);
    const update: TagCommand = { type: 'UpdateTag', workspaceId, name: changes.name, color: changes.color };
    // Ask the decider first: a refused update (not found, another workspace's) claims nothing,
    // and what it would write says whether the name changes (other than in case).
    const { state: before } = await this.runner.load(streamId, tagDecider);
    const [planned] = tagDecider.decide(update, before);
    const newName = planned?.type === 'TagUpdated' ? planned.data.changes.name : undefined;
    const renamed = newName !== undefined && normalizeTagName(newName) !== normalizeTagName(before.name);

    if (renamed) await claimTagName(this.runner, workspaceId, newName, context, tagId).catch(asNameTaken);
    const outcome = await this.runner.run(streamId, tagDecider, update, context);
    if (renamed) await releaseTagName(this.runner, workspaceId, before.name, tagId, context);

    // The state as of this update (nothing changed: as it was), times included.
    return { tag: tagViewOf(outcome.state, await this.ticketCount(workspaceId, tagId)), position: outcome.position };
  }

  /** Counted from the tickets' events: the read model's current count, without waiting for it. */
  private async ticketCount(workspaceId: string, tagId: string): Promise<number> {
    const doc = await this.readStore.collection<TagDocument>(TAGS_COLLECTION).findOne({ _id: tagId, workspace_id: workspaceId });
    return doc?.ticket_count ?? 0;
  }
}
