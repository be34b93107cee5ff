import { Injectable } from '@nestjs/common';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import { tagDecider } from '../../domain/tag.decider';
import { normalizeTagName, tagStreamId } from '../../domain/tag.events';
import { findOrClaimTagName } from '../tag-name-claim';

/**
 * Tags named on a ticket: each is found (case-insensitively) or created. The tickets context
 * calls it directly, before its own write, so it is an injectable rather than a bus command.
 */
@Injectable()
export class EnsureTags {
  constructor(private readonly runner: CommandRunner) {}

  /** The tags' canonical names, in the order given, without duplicates. */
  async ensure(workspaceId: string, names: string[], context: CommandContext): Promise<string[]> {
    const byKey = new Map<string, string>();
    for (const name of names) if (!byKey.has(normalizeTagName(name))) byKey.set(normalizeTagName(name), name);
    return Promise.all(
      [...byKey.values()].map(async (name) => {
        const claim = await findOrClaimTagName(this.runner, workspaceId, name, context);
        const tagId = claim.state.ownerId as string;
        const tag = await this.runner.run(tagStreamId(tagId), tagDecider, { type: 'EnsureTag', tagId, workspaceId, name }, context, { findOrCreate: true });
        return tag.state.name;
      }),
    );
  }
}
