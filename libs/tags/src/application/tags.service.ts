import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { DomainError, notFound, type CommandContext } from '@ledgerdesk/shared';
import { claimStreamId, uniqueClaimDecider } from '@ledgerdesk/event-sourcing';
import { escapeRegex, keysetPage, type Page } from '@ledgerdesk/read-store';
import { tagDecider } from '../domain/tag.decider';
import { DEFAULT_TAG_COLOR, normalizeTagName, tagStreamId } from '../domain/tag.events';
import { TAGS_COLLECTION, type TagDocument } from '../projections/tags.projection';

export const toTagView = (doc: TagDocument) => ({ id: doc.id, name: doc.name, color: doc.color, ticket_count: doc.ticket_count, created_at: doc.created_at });
export type TagView = ReturnType<typeof toTagView>;

const TAG_NAME_CLAIM = 'tag_name';
const TAG_NAMESPACE = '0b6f3f0e-5d2a-4c1b-8f7e-3a9d2c4b1e60';
/** A tag's first id is derived from (workspace, lower-cased name): concurrent first uses agree. */
export const tagIdFor = (workspaceId: string, name: string) => uuidv5(`${workspaceId}:${normalizeTagName(name)}`, TAG_NAMESPACE);
const nameTaken = () => new DomainError('CONFLICT', 'A tag with this name already exists', { name: ['already exists'] });

/** Tags CRUD; names are unique per workspace, case-insensitively (a name-claim stream). */
@Injectable()
export class TagsService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async create(workspaceId: string, input: { name: string; color?: string }, context: CommandContext) {
    const value = normalizeTagName(input.name);
    const claim = await this.runner
      .run(
        claimStreamId(TAG_NAME_CLAIM, workspaceId, value),
        uniqueClaimDecider,
        { type: 'Claim', kind: 'tag', workspaceId, value, ownerId: tagIdFor(workspaceId, value), reclaimId: randomUUID() },
        context,
      )
      .catch(rethrowTaken);
    const tagId = claim.state.ownerId as string;
    const outcome = await this.runner
      .run(
        tagStreamId(tagId),
        tagDecider,
        { type: 'CreateTag', tagId, workspaceId, name: input.name.trim(), color: (input.color ?? DEFAULT_TAG_COLOR).toLowerCase() },
        context,
      )
      .catch(rethrowTaken);
    return { id: tagId, position: outcome.position ?? 0 };
  }

  /**
   * Tags named on a ticket: each is found (case-insensitively) or created. Returns the tags'
   * canonical names, in the order given, without duplicates.
   */
  async ensure(workspaceId: string, names: string[], context: CommandContext): Promise<string[]> {
    const byKey = new Map<string, string>();
    for (const name of names) if (!byKey.has(normalizeTagName(name))) byKey.set(normalizeTagName(name), name.trim());
    return Promise.all(
      [...byKey].map(async ([value, name]) => {
        const claim = await this.runner.run(
          claimStreamId(TAG_NAME_CLAIM, workspaceId, value),
          uniqueClaimDecider,
          { type: 'FindOrClaim', kind: 'tag', workspaceId, value, ownerId: tagIdFor(workspaceId, value), reclaimId: randomUUID() },
          context,
          { findOrCreate: true },
        );
        const tagId = claim.state.ownerId as string;
        const tag = await this.runner.run(tagStreamId(tagId), tagDecider, { type: 'EnsureTag', tagId, workspaceId, name, color: DEFAULT_TAG_COLOR }, context, {
          findOrCreate: true,
        });
        return tag.state.name;
      }),
    );
  }

  async update(workspaceId: string, id: string, changes: { name?: string; color?: string }, context: CommandContext) {
    const state = await this.load(workspaceId, id);
    const name = changes.name?.trim();
    const renamed = name !== undefined && normalizeTagName(name) !== normalizeTagName(state.name);
    if (renamed) {
      await this.runner
        .run(
          claimStreamId(TAG_NAME_CLAIM, workspaceId, normalizeTagName(name)),
          uniqueClaimDecider,
          { type: 'Claim', kind: 'tag', workspaceId, value: normalizeTagName(name), ownerId: id },
          context,
        )
        .catch(rethrowTaken);
    }
    const outcome = await this.runner.run(tagStreamId(id), tagDecider, { type: 'UpdateTag', name, color: changes.color?.toLowerCase() }, context);
    if (renamed) {
      await this.runner.run(
        claimStreamId(TAG_NAME_CLAIM, workspaceId, normalizeTagName(state.name)),
        uniqueClaimDecider,
        { type: 'Release', ownerId: id },
        context,
      );
    }
    return { position: outcome.position };
  }

  async delete(workspaceId: string, id: string, context: CommandContext) {
    const state = await this.load(workspaceId, id);
    const outcome = await this.runner.run(tagStreamId(id), tagDecider, { type: 'DeleteTag' }, context);
    await this.runner.run(
      claimStreamId(TAG_NAME_CLAIM, workspaceId, normalizeTagName(state.name)),
      uniqueClaimDecider,
      { type: 'Release', ownerId: id },
      context,
    );
    return { position: outcome.position };
  }

  async get(workspaceId: string, id: string): Promise<TagView> {
    const doc = await this.readStore.collection<TagDocument>(TAGS_COLLECTION).findOne({ _id: id, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('Tag');
    return toTagView(doc);
  }

  list(
    workspaceId: string,
    c: { search?: string; orderBy: 'created_at' | 'name'; orderDir: 'asc' | 'desc'; limit: number; cursor?: string },
  ): Promise<Page<TagView>> {
    const filter: Record<string, unknown> = { workspace_id: workspaceId, deleted: false };
    if (c.search) filter.name = { $regex: escapeRegex(c.search), $options: 'i' };
    return keysetPage(
      this.readStore.collection<TagDocument>(TAGS_COLLECTION),
      filter,
      { field: c.orderBy, direction: c.orderDir === 'asc' ? 1 : -1, limit: c.limit, cursor: c.cursor },
      toTagView,
    );
  }

  private async load(workspaceId: string, id: string) {
    const current = await this.runner.load(tagStreamId(id), tagDecider);
    if (!current.state.exists || current.state.deleted || current.state.workspaceId !== workspaceId) throw notFound('Tag');
    return current.state;
  }
}

function rethrowTaken(error: unknown): never {
  throw error instanceof DomainError && error.code === 'CONFLICT' ? nameTaken() : error;
}
